using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Online.Roles;

namespace SchemaBuild.Runtime.Engines.MySql.Online;

/// <summary>
/// The shadow's plain secondary indexes are left out during the bulk copy and added when it ends: InnoDB
/// then builds each by sorting, instead of inserting every copied row into it in key order of the
/// index (random for most). Measured on 1M rows with two such indexes: chunks into the indexed shadow
/// 35–57 s, chunks into the bare shadow plus one <c>ADD INDEX</c> 17–20 s, native <c>ALTER … COPY</c> 12–19 s.
/// Only non-unique, visible B-tree indexes without a comment are deferred (the copy key and every unique
/// key stay: the copy and the applier rely on them), and none when the shadow has a foreign key (its
/// index may not be dropped). The ADD statement runs on the copier's session, so the applier waits for
/// it (changes queue in the stream meanwhile); the checksum and the cutover come after it.
/// </summary>
internal sealed class MySqlDeferredIndexes
{
    private const string ScratchComment = "schemabuild ghost copy scratch: drop it";

    private readonly MySqlSession session;
    private readonly IDdlWriter writer;

    public MySqlDeferredIndexes(MySqlSession session)
    {
        this.session = session;
        writer = session.Writer;
    }

    /// <summary>Drops the deferrable indexes from the (empty) shadow; returns the clauses that add them back.</summary>
    public async Task<IReadOnlyList<string>> DeferAsync(string shadow, CancellationToken cancellationToken)
    {
        var indexes = await DeferrableAsync(shadow, cancellationToken).ConfigureAwait(false);
        if (indexes.Count > 0)
        {
            await session.ExecuteAsync(
                $"ALTER TABLE {writer.QuoteIdentifier(shadow)} {string.Join(", ", indexes.Select(i => "DROP INDEX " + writer.QuoteIdentifier(i.Name)))}", null, cancellationToken).ConfigureAwait(false);
        }

        return indexes.Select(i => i.Add).ToList();
    }

    /// <summary>
    /// On resume: the indexes of the target definition (read from an empty scratch table built by the same
    /// statements) that the shadow lacks are added at once; the rest of the copy maintains them row by row.
    /// </summary>
    public async Task RestoreAsync(string shadow, string scratch, IReadOnlyList<string> scratchDdl, CancellationToken cancellationToken)
    {
        if (await HasForeignKeysAsync(shadow, cancellationToken).ConfigureAwait(false))
        {
            // Nothing was deferred (see DeferrableAsync); a scratch copy of its foreign keys would also clash with their names.
            return;
        }

        var quotedScratch = writer.QuoteIdentifier(scratch);
        var existing = await session.QueryAsync(
            "SELECT TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?", new object?[] { scratch }, cancellationToken).ConfigureAwait(false);
        if (existing.Count > 0 && !string.Equals(Convert.ToString(existing[0][0], CultureInfo.InvariantCulture), ScratchComment, StringComparison.Ordinal))
        {
            throw new GhostCopyRefusedException(
                $"table {scratch} exists and was not left by SchemaBuild; a resumed ghost copy (shadow {shadow}) builds an empty scratch table under that name to read the new definition's indexes. Rename or drop it, then deploy again.");
        }

        await session.ExecuteAsync("DROP TABLE IF EXISTS " + quotedScratch, null, cancellationToken).ConfigureAwait(false);
        try
        {
            for (var i = 0; i < scratchDdl.Count; i++)
            {
                await session.ExecuteAsync(scratchDdl[i], null, cancellationToken).ConfigureAwait(false);
                if (i == 0)
                {
                    // Marked at once, so a scratch table a killed run left behind is known as ours and dropped by the next.
                    await session.ExecuteAsync($"ALTER TABLE {quotedScratch} COMMENT = {writer.QuoteLiteral(ScratchComment)}", null, cancellationToken).ConfigureAwait(false);
                }
            }

            var target = await DeferrableAsync(scratch, cancellationToken).ConfigureAwait(false);
            var present = (await session.QueryAsync(
                    "SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?", new object?[] { shadow }, cancellationToken).ConfigureAwait(false))
                .Select(r => Convert.ToString(r[0], CultureInfo.InvariantCulture)).ToHashSet(StringComparer.OrdinalIgnoreCase);
            await AddAsync(shadow, target.Where(i => !present.Contains(i.Name)).Select(i => i.Add).ToList(), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await session.ExecuteAsync("DROP TABLE IF EXISTS " + quotedScratch, null, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Adds <paramref name="clauses"/> (from <see cref="DeferAsync"/>) to the shadow in one statement.</summary>
    public async Task AddAsync(string shadow, IReadOnlyList<string> clauses, CancellationToken cancellationToken)
    {
        if (clauses.Count > 0)
        {
            await session.ExecuteAsync($"ALTER TABLE {writer.QuoteIdentifier(shadow)} {string.Join(", ", clauses)}", null, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> HasForeignKeysAsync(string table, CancellationToken cancellationToken)
    {
        var foreignKeys = await session.QueryAsync(
            "SELECT COUNT(*) FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = ?", new object?[] { table }, cancellationToken).ConfigureAwait(false);
        return Convert.ToInt64(foreignKeys[0][0], CultureInfo.InvariantCulture) > 0;
    }

    private async Task<List<(string Name, string Add)>> DeferrableAsync(string table, CancellationToken cancellationToken)
    {
        if (await HasForeignKeysAsync(table, cancellationToken).ConfigureAwait(false))
        {
            return new List<(string, string)>();
        }

        // MariaDB (10.6 on) marks an index the optimizer ignores IGNORED, MySQL (8 on) an invisible one with IS_VISIBLE; such an index is left in place.
        var version = Version.TryParse(new string(session.ServerVersion.TakeWhile(c => char.IsDigit(c) || c == '.').ToArray()), out var parsed) ? parsed : new Version(0, 0);
        var hidden = session.Dialect == DialectKind.MariaDb ? (version >= new Version(10, 6) ? "IGNORED = 'YES'" : "0") : (version >= new Version(8, 0) ? "IS_VISIBLE = 'NO'" : "0");
        var rows = await session.QueryAsync(
            $"SELECT INDEX_NAME, COLUMN_NAME, SUB_PART, COLLATION, NON_UNIQUE = 0 OR INDEX_TYPE <> 'BTREE' OR INDEX_COMMENT <> '' OR {hidden} OR COLUMN_NAME IS NULL "
            + "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY INDEX_NAME, SEQ_IN_INDEX",
            new object?[] { table }, cancellationToken).ConfigureAwait(false);
        return rows.GroupBy(r => Convert.ToString(r[0], CultureInfo.InvariantCulture)!)
            .Where(g => g.All(r => Convert.ToInt64(r[4], CultureInfo.InvariantCulture) == 0))
            .Select(g => (g.Key, $"ADD INDEX {writer.QuoteIdentifier(g.Key)} ({string.Join(", ", g.Select(Part))})"))
            .ToList();
    }

    private string Part(object?[] row)
    {
        var part = writer.QuoteIdentifier(Convert.ToString(row[1], CultureInfo.InvariantCulture)!);
        if (row[2] is not null)
        {
            part += "(" + Convert.ToInt64(row[2], CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture) + ")";
        }

        return string.Equals(Convert.ToString(row[3], CultureInfo.InvariantCulture), "D", StringComparison.Ordinal) ? part + " DESC" : part;
    }
}
