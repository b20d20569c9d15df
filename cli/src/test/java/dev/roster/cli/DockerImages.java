package dev.roster.cli;

/** The images the Docker tests run; compose/docker-compose.yml defaults to the same. */
final class DockerImages {
    /** The official Apache Kafka image, the version of the Kafka clients Roster is built with. */
    static final String KAFKA = "apache/kafka:4.4.0";

    private DockerImages() {
    }
}
