using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.MySqlReplication.Binlog;
using Xunit;

namespace SchemaBuild.MySqlReplication.Tests;

/// <summary>
/// Every column type: written through a prepared statement, then read back through
/// the text protocol, the binary protocol and the binlog row event. All three must
/// produce exactly the values that were written.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class TypeRoundTripTests
{
    private static readonly (string Name, string Type)[] Columns =
    {
        ("c_tiny", "TINYINT"), ("c_utiny", "TINYINT UNSIGNED"), ("c_small", "SMALLINT"), ("c_usmall", "SMALLINT UNSIGNED"),
        ("c_medium", "MEDIUMINT"), ("c_umedium", "MEDIUMINT UNSIGNED"), ("c_int", "INT"), ("c_uint", "INT UNSIGNED"),
        ("c_big", "BIGINT"), ("c_ubig", "BIGINT UNSIGNED"), ("c_dec", "DECIMAL(20,6)"), ("c_dec_small", "DECIMAL(5,2)"),
        ("c_float", "FLOAT"), ("c_double", "DOUBLE"), ("c_date", "DATE"), ("c_dt", "DATETIME(6)"), ("c_dt0", "DATETIME"),
        ("c_dt3", "DATETIME(3)"), ("c_ts", "TIMESTAMP(3) NULL"), ("c_time", "TIME(6)"), ("c_time0", "TIME"), ("c_time2", "TIME(2)"),
        ("c_year", "YEAR"), ("c_bit", "BIT(12)"), ("c_bit64", "BIT(64)"), ("c_char", "CHAR(10)"), ("c_varchar", "VARCHAR(300)"),
        ("c_latin", "VARCHAR(20) CHARACTER SET latin1"), ("c_text", "TEXT"), ("c_blob", "BLOB"), ("c_binary", "VARBINARY(20)"),
        ("c_enum", "ENUM('red','green','blue')"), ("c_set", "SET('a','b','c','d')"), ("c_json", "JSON"), ("c_geo", "GEOMETRY NULL"),
    };

    private static readonly byte[] PointWkb =
    {
        0, 0, 0, 0, // SRID
        1, 1, 0, 0, 0, // little-endian POINT
        0, 0, 0, 0, 0, 0, 0xF0, 0x3F, // 1.0
        0, 0, 0, 0, 0, 0, 0, 0x40, // 2.0
    };

    private static object?[] TypicalRow() => new object?[]
    {
        (sbyte)-5, (byte)200, (short)-1234, (ushort)60000, -400000, 16000000u, -123456789, 4000000000u,
        -9007199254740993L, 18000000000000000000UL, 12345678901234.567891m, -123.45m,
        1.5f, 3.141592653589793, new DateOnly(1999, 12, 31), new DateTime(2024, 2, 29, 13, 14, 15).AddTicks(1234560),
        new DateTime(2001, 1, 2, 3, 4, 5), new DateTime(2020, 6, 7, 8, 9, 10, 123), new DateTime(2021, 3, 4, 5, 6, 7, 890),
        new TimeSpan(0, 12, 34, 56).Add(TimeSpan.FromTicks(7890120)), new TimeSpan(-1, -2, -3, -4), -new TimeSpan(0, 0, 0, 1, 250),
        2024, 0xABCUL, 0xFEDCBA9876543210UL, "abc", "héllo wörld 🚀 " + new string('x', 100), "café crème", "long text ünïcode",
        Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(), new byte[] { 0, 1, 2, 0xFF }, "green", "a,c", "{\"a\": [1, 2, {\"b\": null}]}", PointWkb,
    };

    private static object?[] ExtremeRow() => new object?[]
    {
        sbyte.MinValue, byte.MaxValue, short.MinValue, ushort.MaxValue, -8388608, 16777215u, int.MinValue, uint.MaxValue,
        long.MinValue, ulong.MaxValue, -99999999999999.999999m, 999.99m,
        -0.25f, -1.0e-300, new DateOnly(1000, 1, 1), new DateTime(9999, 12, 31, 23, 59, 59).AddTicks(9999990),
        new DateTime(1970, 1, 1, 0, 0, 0), new DateTime(1900, 1, 1, 0, 0, 0, 1), new DateTime(2038, 1, 19, 3, 14, 7, 999),
        -new TimeSpan(0, 838, 59, 59), new TimeSpan(0, 838, 59, 59), new TimeSpan(0, 0, 0, 0, 10),
        1901, 0UL, ulong.MaxValue, "", "", "", "", Array.Empty<byte>(), Array.Empty<byte>(), "red", "", "[]", PointWkb,
    };

    private readonly MariaDbFixture _db;

    public TypeRoundTripTests(MariaDbFixture db) => _db = db;

    [Fact]
    public async Task Every_type_written_through_MySqlConnector_reads_back_from_the_binlog()
    {
        var (connection, database) = await _db.OpenScratchAsync("types");
        await using var _ = connection;
        await connection.ExecuteAsync("SET time_zone = '+00:00'");
        string columnSql = string.Join(", ", Columns.Select(c => $"{c.Name} {c.Type}"));
        await connection.ExecuteAsync($"CREATE TABLE t (id INT PRIMARY KEY, {columnSql})");
        var start = await BinlogTestHelpers.CurrentPositionAsync(connection);

        var rows = new List<object?[]> { TypicalRow(), ExtremeRow(), new object?[Columns.Length] };
        string placeholders = string.Join(", ", Columns.Select(c => c.Name == "c_geo" ? "ST_GeomFromWKB(?)" : "?"));
        // Inserted through MySqlConnector with real parameters: the values the binlog must give back.
        for (int i = 0; i < rows.Count; i++)
        {
            await using var insert = new MySqlConnector.MySqlCommand($"INSERT INTO t (id, {string.Join(", ", Columns.Select(c => c.Name))}) VALUES (?, {placeholders})", connection);
            insert.Parameters.Add(new MySqlConnector.MySqlParameter { Value = i + 1 });
            for (int c = 0; c < Columns.Length; c++)
            {
                object? value = Columns[c].Name == "c_geo" && rows[i][c] is byte[] wkb ? wkb[4..] : rows[i][c];
                insert.Parameters.Add(new MySqlConnector.MySqlParameter { Value = value ?? DBNull.Value });
            }
            Assert.Equal(1, await insert.ExecuteNonQueryAsync());
        }

        var binlog = new List<object?[]>();
        await using (var client = new BinlogClient(new BinlogClientOptions(_db.Options, BinlogStartPosition.FromFile(start)) { StopAtEnd = true, ServerId = BinlogTestHelpers.NextServerId() }))
        {
            await foreach (var ev in client.ReadEventsAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token))
            {
                if (ev is RowsEvent { Kind: RowChangeKind.Insert } r && r.Table.Database == database)
                {
                    binlog.AddRange(r.Rows.Select(row => row.After!.Skip(1).ToArray()));
                }
            }
        }

        AssertRows(rows, binlog, "binlog");
        await _db.DropDatabaseAsync(database);
    }

    private static void AssertRows(List<object?[]> expected, List<object?[]> actual, string source)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int row = 0; row < expected.Count; row++)
        {
            for (int c = 0; c < Columns.Length; c++)
            {
                object? e = expected[row][c], a = actual[row][c];
                string where = $"{source}, row {row + 1}, {Columns[c].Name} {Columns[c].Type}: expected {Describe(e)}, got {Describe(a)}";
                if (e is byte[] eb)
                {
                    Assert.True(a is byte[] ab && eb.AsSpan().SequenceEqual(ab), where);
                }
                else
                {
                    Assert.True(Equals(e, a), where);
                }
            }
        }
    }

    private static string Describe(object? value) => value switch
    {
        null => "null",
        byte[] b => "byte[" + b.Length + "] " + Convert.ToHexString(b.AsSpan(0, Math.Min(b.Length, 16))),
        DateTime d => d.ToString("O"),
        _ => value.GetType().Name + " " + value,
    };
}
