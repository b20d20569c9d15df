package dev.roster.history;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

import java.util.Map;

/**
 * Puts every RocksDB store of the process under one memory budget. By default each store of each
 * partition gets its own 50 MiB block cache and up to three 16 MiB memtables, so the history-api's
 * dozen stores would reserve gigabytes off-heap as partitions grow; here all of them share one cache,
 * and memtables are charged to it.
 */
public final class BoundedRocksDb implements RocksDBConfigSetter {
    /** Block cache and memtables of all stores together. */
    static final long TOTAL_OFF_HEAP_BYTES = 128L * 1024 * 1024;
    /** The part of the budget memtables may take. */
    static final long MEMTABLE_BYTES = 32L * 1024 * 1024;
    private static final double INDEX_FILTER_BLOCK_RATIO = 0.1;

    // Shared by every store of the process on purpose; never closed by a store. Created on first use, as
    // Kafka Streams may create this class before it loads RocksDB's native library.
    private static final class Shared {
        static {
            RocksDB.loadLibrary();
        }

        static final Cache CACHE = new LRUCache(TOTAL_OFF_HEAP_BYTES, -1, false, INDEX_FILTER_BLOCK_RATIO);
        static final WriteBufferManager WRITE_BUFFERS = new WriteBufferManager(MEMTABLE_BYTES, CACHE);
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(Shared.CACHE);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(Shared.WRITE_BUFFERS);
        options.setMaxWriteBufferNumber(2);
        options.setWriteBufferSize(8L * 1024 * 1024);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and the write buffer manager outlive any one store.
    }
}
