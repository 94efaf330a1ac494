using System;
using System.Linq;
using System.Threading.Tasks;
using SchemaBuild.Core.Model;
using Xunit;
using static SchemaBuild.Runtime.Tests.ProgrammableObjectTests;

namespace SchemaBuild.Runtime.Tests;

/// <summary>
/// PostgreSQL declarative partitioning and INHERITS: deployed, read back from the catalog
/// (pg_get_partkeydef, pg_get_expr(relpartbound), pg_inherits) equal to the files, written both as
/// PARTITION OF and as pg_dump's CREATE TABLE + ATTACH PARTITION; partitions added and dropped.
/// </summary>
public sealed class PartitionTests
{
    private const string Schema = """
        CREATE TABLE events (
            id bigint NOT NULL,
            happened date NOT NULL,
            kind text NOT NULL,
            PRIMARY KEY (id, happened)
        ) PARTITION BY RANGE (happened);
        CREATE INDEX events_kind ON events (kind);
        CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
        CREATE TABLE events_old PARTITION OF events FOR VALUES FROM (MINVALUE) TO ('2024-01-01'::date);
        CREATE TABLE events_rest PARTITION OF events DEFAULT PARTITION BY RANGE (happened);
        CREATE TABLE events_rest_a PARTITION OF events_rest FOR VALUES FROM ('2026-01-01') TO (MAXVALUE);

        CREATE TABLE tags (kind text, weight integer) PARTITION BY LIST (kind);
        CREATE TABLE tags_ab PARTITION OF tags FOR VALUES IN ('a', 'b');

        CREATE TABLE buckets (id integer NOT NULL, name text) PARTITION BY HASH (id, lower(name));
        CREATE TABLE buckets_0 PARTITION OF buckets FOR VALUES WITH (MODULUS 2, REMAINDER 0);
        CREATE TABLE buckets_1 PARTITION OF buckets FOR VALUES WITH (MODULUS 2, REMAINDER 1);

        CREATE TABLE base (id integer, note text);
        CREATE TABLE derived (extra integer) INHERITS (base);
        """;

    // The same partition as pg_dump writes it: the table with its columns, then ATTACH PARTITION.
    private const string DumpedPartition = """
        CREATE TABLE public.events_2024 (id bigint NOT NULL, happened date NOT NULL, kind text NOT NULL);
        ALTER TABLE ONLY public.events ATTACH PARTITION public.events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
        ALTER TABLE ONLY public.events_2024 ADD CONSTRAINT events_2024_pkey PRIMARY KEY (id, happened);
        ALTER INDEX public.events_pkey ATTACH PARTITION public.events_2024_pkey;
        """;

    [Fact]
    public async Task Postgres_partitions_and_inheritance_deploy_and_read_back_equal_and_partitions_are_added_and_dropped()
    {
        await using var database = await TestDatabase.CreateAsync(DialectKind.Postgres, "partitions");
        await using var session = await database.OpenAsync();
        var target = Load(DialectKind.Postgres, ("schema.sql", Schema));
        var plan = await DeployAsync(session, target);
        var order = plan.Steps.Select(s => s.ObjectName).ToList();
        Assert.True(order.IndexOf("public.events") < order.IndexOf("public.events_rest") && order.IndexOf("public.events_rest") < order.IndexOf("public.events_rest_a"), string.Join(", ", order));
        Assert.True(order.IndexOf("public.base") < order.IndexOf("public.derived"), string.Join(", ", order));
        Assert.Equal("FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')", await ScalarAsync(session, "SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE relname = 'events_2025'"));
        await database.RunAsync("INSERT INTO events VALUES (1, '2020-05-01', 'a'), (2, '2025-05-01', 'z'), (3, '2030-01-01', 'b'); INSERT INTO tags VALUES ('a', 1)");
        Assert.Equal("1", await ScalarAsync(session, "SELECT count(*) FROM events_rest_a"));
        await AssertReadBackAsync(session, target);

        // A new partition written as pg_dump writes it; a dropped one is detached, then dropped.
        target = Load(DialectKind.Postgres, ("schema.sql", Schema.Replace("CREATE TABLE buckets_1 PARTITION OF buckets FOR VALUES WITH (MODULUS 2, REMAINDER 1);\n", string.Empty, StringComparison.Ordinal)
            .Replace("CREATE TABLE buckets_0 PARTITION OF buckets FOR VALUES WITH (MODULUS 2, REMAINDER 0);", "CREATE TABLE buckets_0 PARTITION OF buckets DEFAULT;", StringComparison.Ordinal)), ("z-dump.sql", DumpedPartition));
        var created = Assert.Single(target.Tables, t => t.Name.Name == "events_2024");
        Assert.Equal(new QualifiedName("public", "events"), created.PartitionOf);
        Assert.Empty(created.Columns);
        var changed = Core.Planning.Planner.Create(await session.CreateIntrospector(State.StateTableNames.Default.All).IntrospectAsync(default), target, Core.Dialects.EngineProfile.For(DialectKind.Postgres));
        Assert.Contains(changed.Diagnostics, d => d.Id == "SB4007" && d.Message.Contains("buckets_0", StringComparison.Ordinal));

        target = Load(DialectKind.Postgres, ("schema.sql", Schema.Replace("CREATE TABLE buckets_1 PARTITION OF buckets FOR VALUES WITH (MODULUS 2, REMAINDER 1);", "-- schema:allow SB1001 public.buckets_1 \"rows move to buckets_0\"", StringComparison.Ordinal)), ("z-dump.sql", DumpedPartition));
        plan = await DeployAsync(session, target);
        var sql = plan.Steps.SelectMany(s => s.Sql).ToList();
        Assert.Contains("ALTER TABLE public.buckets DETACH PARTITION public.buckets_1", sql);
        Assert.Contains(sql, s => s.StartsWith("CREATE TABLE public.events_2024 PARTITION OF public.events", StringComparison.Ordinal));
        Assert.Contains(plan.Diagnostics, d => d.Id == "SB1001");
        await AssertReadBackAsync(session, target);
    }

    [Fact]
    public async Task Postgres_time_bounds_in_short_forms_read_back_equal_and_a_changed_bound_is_detached_and_attached_with_the_rows()
    {
        const string Times = """
            CREATE TABLE readings (at timestamp NOT NULL, value integer) PARTITION BY RANGE (at);
            CREATE TABLE readings_jan PARTITION OF readings FOR VALUES FROM ('2024-01-01') TO ('2024-02-01 00:00');
            CREATE TABLE readings_rest PARTITION OF readings DEFAULT;
            CREATE TABLE logins (at timestamptz NOT NULL) PARTITION BY RANGE (at);
            CREATE TABLE logins_2024 PARTITION OF logins FOR VALUES FROM ('2024-01-01') TO ('2025-01-01T00:00:00Z');
            """;
        await using var database = await TestDatabase.CreateAsync(DialectKind.Postgres, "partition_times");
        await using var session = await database.OpenAsync();
        var target = Load(DialectKind.Postgres, ("schema.sql", Times));
        await DeployAsync(session, target);
        await AssertReadBackAsync(session, target);
        Assert.Equal("FOR VALUES FROM ('2024-01-01 00:00:00') TO ('2024-02-01 00:00:00')", await ScalarAsync(session, "SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE relname = 'readings_jan'"));

        // January grows to cover February: its rows stay, the default partition gives up none it holds.
        await database.RunAsync("INSERT INTO readings VALUES ('2024-01-15', 1), ('2024-06-01', 2)");
        target = Load(DialectKind.Postgres, ("schema.sql", Times.Replace("TO ('2024-02-01 00:00')", "TO ('2024-03-01')", StringComparison.Ordinal)));
        var plan = await DeployAsync(session, target);
        Assert.Contains("ALTER TABLE public.readings ATTACH PARTITION public.readings_jan FOR VALUES FROM ('2024-01-01 00:00:00') TO ('2024-03-01 00:00:00')", plan.Steps.SelectMany(s => s.Sql));
        await AssertReadBackAsync(session, target);
        Assert.Equal("1", await ScalarAsync(session, "SELECT count(*) FROM readings_jan"));
        Assert.Equal("2", await ScalarAsync(session, "SELECT count(*) FROM readings"));
    }
}
