-- What bench/throughput.sh's one-insert handler writes (BenchHandlers).
create table bench_item (
    message_id text   primary key,
    n          bigint not null
);
