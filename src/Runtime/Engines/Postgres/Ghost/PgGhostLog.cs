using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Runtime.Engines.Postgres.Ghost;

/// <summary>
/// The ghost copy's changelog table: marker rows, written on their own and read back from the
/// stream to prove the shadow is applied up to that point, and one checkpoint row per table
/// (copy watermark as the key's text values, rows copied, done). It is in the publication, so
/// markers arrive in commit order with the table's own changes.
/// </summary>
internal sealed class PgGhostLog
{
    public PgGhostLog(QualifiedName name)
    {
        Name = name;
    }

    public QualifiedName Name { get; }

    public string CreateSql(PgSql sql) =>
        "CREATE TABLE " + sql.Quote(Name) + " (id bigserial PRIMARY KEY, kind text NOT NULL, item text NOT NULL, key text[], done boolean NOT NULL DEFAULT false, "
        + "rows bigint NOT NULL DEFAULT 0, at timestamptz NOT NULL DEFAULT clock_timestamp(), UNIQUE (kind, item))";

    /// <summary>Writes (and commits) a marker row; returns its token.</summary>
    public async Task<string> MarkAsync(PgSql sql, CancellationToken cancellationToken)
    {
        var token = Guid.NewGuid().ToString("N");
        await sql.ExecuteAsync("INSERT INTO " + sql.Quote(Name) + " (kind, item) VALUES ('marker', $1)", new object?[] { token }, cancellationToken).ConfigureAwait(false);
        return token;
    }

    /// <summary>The token when <paramref name="change"/> is the stream's copy of a marker row.</summary>
    public string? MarkerOf(PgChange change) =>
        change.Kind == PgChangeKind.Insert && change.Table == Name && change.Row is { } row
        && row.TryGetValue("kind", out var kind) && kind.Text == "marker" && row.TryGetValue("item", out var item) ? item.Text : null;

    public Task CheckpointAsync(PgSql sql, PgGhostTable table, string[]? upTo, bool done, long copied, CancellationToken cancellationToken) =>
        sql.ExecuteAsync(
            "INSERT INTO " + sql.Quote(Name) + " (kind, item, key, done, rows) VALUES ('watermark', $1, $2, $3, $4) "
            + "ON CONFLICT (kind, item) DO UPDATE SET key = EXCLUDED.key, done = EXCLUDED.done, rows = " + sql.Quote(Name) + ".rows + EXCLUDED.rows, at = clock_timestamp()",
            new object?[] { table.Original.ToString(), upTo, done, copied }, cancellationToken);

    /// <summary>Each table's checkpoint: watermark (null: from the start), done, rows copied.</summary>
    public async Task<Dictionary<string, (string[]? Key, bool Done, long Rows)>> CheckpointsAsync(PgSql sql, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, (string[]?, bool, long)>(StringComparer.Ordinal);
        foreach (var row in await sql.QueryAsync("SELECT item, key, done, rows FROM " + sql.Quote(Name) + " WHERE kind = 'watermark'", null, cancellationToken).ConfigureAwait(false))
        {
            found[(string)row[0]!] = (row[1] as string[], (bool)row[2]!, (long)row[3]!);
        }

        return found;
    }
}
