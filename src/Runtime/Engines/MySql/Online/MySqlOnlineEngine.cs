using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Dialects;
using SchemaBuild.MySqlReplication;
using SchemaBuild.Runtime.Connections;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.Online.Roles;

namespace SchemaBuild.Runtime.Engines.MySql.Online;

/// <summary>
/// The MariaDB/MySQL ghost copy: the shadow is <c>CREATE TABLE … LIKE</c> the original with the plan
/// step's ALTER applied to it while empty; rows are copied along the primary key (or a non-null unique
/// key that stays unique); changes come from the binlog (ROW format); names swap in one RENAME
/// (<see cref="MySqlCutover"/>).
/// </summary>
internal sealed partial class MySqlOnlineEngine : IOnlineEngine, IAsyncOpen
{
    private static readonly string[] Integers = { "tinyint", "smallint", "mediumint", "int", "bigint" };
    private static readonly string[] Strings = { "char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set" };
    private static readonly string[] Binaries = { "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" };

    private readonly MySqlSession session;
    private readonly GhostCopyOptions options;
    private readonly MySqlConnectionOptions binlog;
    private readonly Dictionary<string, MySqlCopyTable> prepared = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int[]> keyOrdinals = new(StringComparer.Ordinal);
    private readonly List<IAsyncDisposable> owned = new();
    private readonly List<IThrottleProbe> probes = new();
    private MySqlSession? worker;
    private MySqlSession? checker;
    private MySqlSession? shadowChecker;

    private MySqlOnlineEngine(MySqlSession session, GhostCopyOptions options, MySqlConnectionOptions binlog)
    {
        this.session = session;
        this.options = options;
        this.binlog = binlog;
    }

    public IDdlWriter Writer => session.Writer;

    public IReadOnlyList<IThrottleProbe> ThrottleProbes => probes;

    public static async Task<MySqlOnlineEngine> CreateAsync(MySqlSession session, GhostCopyOptions options, CancellationToken cancellationToken)
    {
        var url = session.Url ?? throw new GhostCopyRefusedException(
            $"a ghost copy opens more connections and a binlog stream to {session.DisplayName}, so it needs the connection as a URL or connection string (not an attached DbConnection)");
        var format = await session.QueryAsync("SELECT @@GLOBAL.binlog_format, @@GLOBAL.log_bin", null, cancellationToken).ConfigureAwait(false);
        if (!string.Equals(Convert.ToString(format[0][0], CultureInfo.InvariantCulture), "ROW", StringComparison.OrdinalIgnoreCase) || Convert.ToInt32(format[0][1], CultureInfo.InvariantCulture) != 1)
        {
            throw new GhostCopyRefusedException(
                $"{session.DisplayName} has log_bin={format[0][1]} and binlog_format={format[0][0]}; a ghost copy reads the changes made during the copy from a ROW binlog. "
                + "Start the server with --log-bin and binlog_format=ROW, or apply the step in a maintenance window (plan.sql).");
        }

        var binlog = new MySqlConnectionOptions
        {
            Scheme = "mysql", Host = url.Host, Port = url.Port, User = url.User, Password = url.Password, Database = session.DatabaseName, SslCa = url.CertificateAuthorityFile,
            SslMode = url.Option("sslmode") is { } mode ? MySqlConnectionOptions.ParseSslMode(mode) : MySqlSslMode.Preferred,
        };
        var engine = new MySqlOnlineEngine(session, options, binlog);
        if (options.MaxLoad > 0)
        {
            engine.probes.Add(MySqlThrottleProbes.Load(session, options.MaxLoad));
        }

        foreach (var replica in options.Replicas)
        {
            var replicaSession = await MySqlSession.OpenAsync(ConnectionUrl.Parse(replica), TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false);
            engine.owned.Add(replicaSession);
            engine.probes.Add(MySqlThrottleProbes.ReplicaLag(replicaSession, options.MaxLag));
        }

        return engine;
    }

    internal Task<MySqlSession> OpenSessionAsync(CancellationToken cancellationToken) => session.OpenSiblingAsync(cancellationToken);

    public async Task<GhostCopyDescription> DescribeAsync(GhostCopyRequest request, CancellationToken cancellationToken)
    {
        var names = Names(request.Table);
        await RefuseUnsupportedAsync(request.Table, cancellationToken).ConfigureAwait(false);
        var original = await ColumnsAsync(request.Table, cancellationToken).ConfigureAwait(false);
        var keys = await UniqueKeysAsync(request.Table, original, cancellationToken).ConfigureAwait(false);
        if (keys.Count == 0)
        {
            throw NoKey(request.Table);
        }

        var estimate = await session.QueryAsync("SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?", new object?[] { request.Table }, cancellationToken).ConfigureAwait(false);
        return new GhostCopyDescription(request.Table, names.Shadow, ShadowDdl(request, names.Shadow), keys[0], estimate.Count == 0 || estimate[0][0] is null ? 0 : Convert.ToInt64(estimate[0][0], CultureInfo.InvariantCulture),
            new[] { $"changes captured from the binlog; the old table is kept as {names.Old} until `dotnet schema complete`" });
    }

    public async Task<GhostCopyTable> PrepareAsync(GhostCopyRequest request, bool resume, CancellationToken cancellationToken)
    {
        var names = Names(request.Table);
        var w = session.Writer;
        await RefuseUnsupportedAsync(request.Table, cancellationToken).ConfigureAwait(false);
        await DropLeftoverSentryAsync(names.Parked, cancellationToken).ConfigureAwait(false);
        if (await ExistsAsync(names.Parked, cancellationToken).ConfigureAwait(false))
        {
            throw new GhostCopyRefusedException($"table {names.Parked} exists; SchemaBuild parks {request.Table} under that name during the cutover. Rename or drop it, then deploy again.");
        }

        if (await ExistsAsync(names.Old, cancellationToken).ConfigureAwait(false))
        {
            throw new GhostCopyRefusedException(
                $"table {names.Old} exists: the old copy of {request.Table} from an earlier ghost copy is still kept. Run `dotnet schema complete` (it drops kept old tables), or drop it, then deploy again.");
        }

        var indexes = new MySqlDeferredIndexes(session);
        IReadOnlyList<string> deferred = Array.Empty<string>();
        if (resume)
        {
            await RepairForeignKeysAsync(request.Table, request.AlterStatements, cancellationToken).ConfigureAwait(false);
            await indexes.RestoreAsync(names.Shadow, names.Scratch, ShadowDdl(request, names.Scratch), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            foreach (var name in new[] { names.Shadow, names.Changelog })
            {
                if (await ExistsAsync(name, cancellationToken).ConfigureAwait(false))
                {
                    throw new GhostCopyRefusedException($"table {name} exists and was not created by this deployment; SchemaBuild needs that name for the ghost copy of {request.Table}. Rename or drop it, then deploy again.");
                }
            }

            foreach (var statement in ShadowDdl(request, names.Shadow))
            {
                await session.ExecuteAsync(statement, null, cancellationToken).ConfigureAwait(false);
            }

            deferred = await indexes.DeferAsync(names.Shadow, cancellationToken).ConfigureAwait(false);
        }

        await session.ExecuteAsync(
            $"CREATE TABLE IF NOT EXISTS {w.QuoteIdentifier(names.Changelog)} (id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, note varchar(100) NULL, created_at timestamp(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6))",
            null, cancellationToken).ConfigureAwait(false);

        var original = await ColumnsAsync(request.Table, cancellationToken).ConfigureAwait(false);
        var shadow = await ColumnsAsync(names.Shadow, cancellationToken).ConfigureAwait(false);
        var renames = Renames(request.AlterStatements);
        var mapping = shadow.Where(c => !c.Generated).Select(c =>
        {
            var source = renames.FirstOrDefault(r => string.Equals(r.To, c.Name, StringComparison.OrdinalIgnoreCase)).From ?? c.Name;
            return new ColumnMapping(c.Name, original.FirstOrDefault(o => !o.Generated && string.Equals(o.Name, source, StringComparison.OrdinalIgnoreCase))?.Name);
        }).ToList();

        // Walk the original along its key; a copy repeated after a resume is idempotent when some unique key
        // of the shadow is made only of columns copied from the original (the same row conflicts with itself).
        var shadowKeys = await UniqueKeysAsync(names.Shadow, shadow, cancellationToken).ConfigureAwait(false);
        var idempotent = shadowKeys.Any(k => k.All(column => mapping.Any(m => m.SourceColumn is not null && m.ShadowColumn.Equals(column, StringComparison.OrdinalIgnoreCase))));
        var key = idempotent
            ? (await UniqueKeysAsync(request.Table, original, cancellationToken).ConfigureAwait(false)).FirstOrDefault(k => k.All(column => mapping.Any(m => m.SourceColumn == column)))
            : null;
        if (key is null)
        {
            throw new GhostCopyRefusedException(
                $"{request.Table} needs a primary key or non-null unique key whose columns are copied, and its new definition a unique key made of copied columns; a ghost copy walks the table along the one and relies on the other to copy a row only once. "
                + "Add such keys in an earlier deployment, or apply this step in a maintenance window (plan.sql).");
        }

        var table = new GhostCopyTable(request.Table, names.Shadow, names.Changelog, names.Old, key, mapping);
        var checksum = mapping.Where(m => m.SourceColumn is not null)
            .Select(m => Compared(original.First(o => o.Name == m.SourceColumn), shadow.First(s => s.Name == m.ShadowColumn)))
            .Where(p => p is not null).Select(p => p!.Value).ToList();
        prepared[request.Table] = new MySqlCopyTable(table, w, checksum) { DeferredIndexes = deferred };
        keyOrdinals[request.Table] = key.Select(k => original.First(o => o.Name == k).Ordinal).ToArray();
        return table;
    }

    public IChangeStream CreateChangeStream(IReadOnlyList<GhostCopyTable> tables)
    {
        var stream = new BinlogChangeStream(session, binlog, tables.ToDictionary(t => t.Original, t => keyOrdinals[t.Original], StringComparer.Ordinal), tables.Select(t => t.Changelog));
        return stream;
    }

    public IRowCopier CreateCopier(GhostCopyTable table) => new MySqlRowCopier(Worker(), prepared[table.Original]);

    public IChangeApplier CreateApplier(GhostCopyTable table) => new KeyRecopyApplier(Worker(), new MySqlKeyRecopySql(prepared[table.Original]));

    public IChecksum CreateChecksum(GhostCopyTable table) => new MySqlChecksum(
        checker ?? throw new InvalidOperationException("OpenAsync first"), shadowChecker ?? throw new InvalidOperationException("OpenAsync first"), prepared[table.Original]);

    public ICutover CreateCutover() => new MySqlCutover(this);

    /// <summary>Opens the sessions the copier, applier and checksum use (the deploy session keeps the control tables).</summary>
    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        if (worker is null)
        {
            worker = await OpenSessionAsync(cancellationToken).ConfigureAwait(false);
            // The copier's chunks then read without locking the original's rows (see MySqlRowCopier).
            await worker.ExecuteAsync("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED", null, cancellationToken).ConfigureAwait(false);
        }

        checker ??= await OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        shadowChecker ??= await OpenSessionAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> ExistsAsync(string table, CancellationToken cancellationToken) => await session.TableExistsAsync(table, cancellationToken).ConfigureAwait(false);

    public async Task DropAsync(IReadOnlyList<string> tables, CancellationToken cancellationToken)
    {
        foreach (var table in tables)
        {
            if (table.EndsWith(ShadowSuffix, StringComparison.Ordinal))
            {
                // A child's key left pointing at the shadow by a cutover that died would block the DROP.
                await RepairForeignKeysAsync(table[..^ShadowSuffix.Length], null, cancellationToken).ConfigureAwait(false);
            }

            await session.ExecuteAsync("DROP TABLE IF EXISTS " + session.Writer.QuoteIdentifier(table), null, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var item in owned)
        {
            await item.DisposeAsync().ConfigureAwait(false);
        }

        if (worker is not null)
        {
            await worker.DisposeAsync().ConfigureAwait(false);
        }

        if (checker is not null)
        {
            await checker.DisposeAsync().ConfigureAwait(false);
        }

        if (shadowChecker is not null)
        {
            await shadowChecker.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The names a table's ghost copy uses. The shadow (<c>t__gho</c>) and the name the original is parked
    /// under during the swap (<c>t__old</c>) extend the table's name, so they sort after it: the server
    /// takes a RENAME's metadata locks in name order, and the RENAME must be queued on the original
    /// itself (ahead of the writers) when the cutover lock is released. The parked original then
    /// becomes <c>_t_old</c>; the changelog is <c>_t_ghc</c>. An empty scratch table <c>t__gix</c> shows a resumed copy
    /// the target definition's indexes (see <see cref="MySqlDeferredIndexes"/>).
    /// </summary>
    internal static (string Shadow, string Changelog, string Old, string Parked, string Scratch) Names(string table)
    {
        if (table.Length > 64 - 5)
        {
            throw new GhostCopyRefusedException($"the table name {table} is {table.Length} characters; a ghost copy needs 5 more for its shadow ({table}__gho) within MariaDB's 64. Rename the table, or apply this step in a maintenance window (plan.sql).");
        }

        string Underscored(string suffix)
        {
            var name = "_" + table + suffix;
            if (name.Length <= 64)
            {
                return name;
            }

            var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(table)))[..8].ToLowerInvariant();
            return "_" + table[..(64 - 2 - hash.Length - suffix.Length)] + "_" + hash + suffix;
        }

        return (table + ShadowSuffix, Underscored("_ghc"), Underscored("_old"), table + "__old", table + "__gix");
    }

    private const string ShadowSuffix = "__gho";

    /// <summary>The foreign keys of <paramref name="table"/> and those referencing it, as the cutover moves them.</summary>
    internal Task<List<MySqlForeignKey>> ForeignKeysAsync(string table, CancellationToken cancellationToken) => MySqlForeignKeys.ReadAsync(session, table, cancellationToken);

    /// <summary>Puts back foreign keys a cutover that died had moved to the shadow (nothing when it did not get that far).</summary>
    private async Task RepairForeignKeysAsync(string table, IReadOnlyList<string>? stepStatements, CancellationToken cancellationToken)
    {
        var shadow = Names(table).Shadow;
        if (await ExistsAsync(shadow, cancellationToken).ConfigureAwait(false) && await ExistsAsync(table, cancellationToken).ConfigureAwait(false))
        {
            static string OriginalOf(string name) => name.EndsWith(ShadowSuffix, StringComparison.Ordinal) ? name[..^ShadowSuffix.Length] : name;
            await new MySqlForeignKeys(session.Writer).RepairAsync(session, shadow, stepStatements, OriginalOf, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The step's statements rewritten for the empty shadow (same ALTER, other table name).</summary>
    private List<string> ShadowDdl(GhostCopyRequest request, string shadow)
    {
        var w = session.Writer;
        var prefix = "ALTER TABLE " + w.QuoteName(request.Name);
        var statements = new List<string> { $"CREATE TABLE {w.QuoteIdentifier(shadow)} LIKE {w.QuoteName(request.Name)}" };
        foreach (var statement in request.AlterStatements)
        {
            if (!statement.StartsWith(prefix, StringComparison.Ordinal))
            {
                throw new GhostCopyRefusedException($"the ghost-copy step of {request.Table} has a statement that is not an ALTER TABLE of that table ({statement}); SchemaBuild cannot apply it to the shadow. Recompile the plan.");
            }

            statements.Add("ALTER TABLE " + w.QuoteIdentifier(shadow) + statement.Substring(prefix.Length));
        }

        return statements;
    }

    /// <summary>Column renames in the step's statements (<c>RENAME COLUMN a TO b</c>, <c>CHANGE [COLUMN] a b</c>).</summary>
    private static List<(string From, string To)> Renames(IEnumerable<string> statements)
    {
        const string Id = "`((?:[^`]|``)+)`";
        var renames = new List<(string, string)>();
        foreach (var statement in statements)
        {
            foreach (Match m in Regex.Matches(statement, $@"\bRENAME\s+COLUMN\s+{Id}\s+TO\s+{Id}|\bCHANGE\s+(?:COLUMN\s+)?{Id}\s+{Id}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))
            {
                var from = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[3].Value;
                var to = m.Groups[2].Success ? m.Groups[2].Value : m.Groups[4].Value;
                renames.Add((from.Replace("``", "`", StringComparison.Ordinal), to.Replace("``", "`", StringComparison.Ordinal)));
            }
        }

        return renames;
    }

    /// <summary>Foreign keys the cutover cannot move (see <see cref="MySqlForeignKeys"/>) and triggers (a RENAME leaves them on the old table): refused before anything is created.</summary>
    private async Task RefuseUnsupportedAsync(string table, CancellationToken cancellationToken)
    {
        MySqlForeignKeys.RefuseUnsafe(table, await MySqlForeignKeys.ReadAsync(session, table, cancellationToken).ConfigureAwait(false));

        var triggers = await session.QueryAsync("SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = ?", new object?[] { table }, cancellationToken).ConfigureAwait(false);
        if (triggers.Count > 0)
        {
            throw new GhostCopyRefusedException(
                $"{table} has triggers ({string.Join(", ", triggers.Select(r => r[0]))}); they would stay on the old table after the cutover. Drop them in an earlier deployment and add them back after, or apply this step in a maintenance window (plan.sql). Nothing was changed.");
        }
    }

    private async Task DropLeftoverSentryAsync(string old, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync("SELECT TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?", new object?[] { old }, cancellationToken).ConfigureAwait(false);
        if (rows.Count > 0 && string.Equals(Convert.ToString(rows[0][0], CultureInfo.InvariantCulture), MySqlCutover.SentryComment, StringComparison.Ordinal))
        {
            await session.ExecuteAsync("DROP TABLE " + session.Writer.QuoteIdentifier(old), null, cancellationToken).ConfigureAwait(false);
        }
    }

    private static GhostCopyRefusedException NoKey(string table) => new(
        $"{table} has no primary key or non-null unique key; a ghost copy walks the table along one. Add a primary key in an earlier deployment, or apply this step in a maintenance window (plan.sql).");

    private async Task<List<Column>> ColumnsAsync(string table, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(
            "SELECT COLUMN_NAME, ORDINAL_POSITION, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION",
            new object?[] { table }, cancellationToken).ConfigureAwait(false);
        return rows.Select(r =>
        {
            var extra = Convert.ToString(r[5], CultureInfo.InvariantCulture) ?? string.Empty;
            return new Column(
                Convert.ToString(r[0], CultureInfo.InvariantCulture)!, Convert.ToInt32(r[1], CultureInfo.InvariantCulture) - 1,
                (Convert.ToString(r[2], CultureInfo.InvariantCulture) ?? string.Empty).ToLowerInvariant(), Convert.ToString(r[3], CultureInfo.InvariantCulture) ?? string.Empty,
                string.Equals(Convert.ToString(r[4], CultureInfo.InvariantCulture), "YES", StringComparison.Ordinal),
                extra.Contains("GENERATED", StringComparison.OrdinalIgnoreCase) || extra.Contains("VIRTUAL", StringComparison.OrdinalIgnoreCase) || extra.Contains("STORED", StringComparison.OrdinalIgnoreCase));
        }).ToList();
    }

    /// <summary>The primary key, then unique keys whose columns are all NOT NULL and whole (no prefix), each as its columns in order.</summary>
    private async Task<List<List<string>>> UniqueKeysAsync(string table, List<Column> columns, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(
            "SELECT INDEX_NAME, COLUMN_NAME, SUB_PART FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND NON_UNIQUE = 0 "
            + "ORDER BY INDEX_NAME = 'PRIMARY' DESC, INDEX_NAME, SEQ_IN_INDEX",
            new object?[] { table }, cancellationToken).ConfigureAwait(false);
        return rows.GroupBy(r => Convert.ToString(r[0], CultureInfo.InvariantCulture))
            .Where(g => g.All(r => r[2] is null && r[1] is not null && columns.Any(c => c.Name == Convert.ToString(r[1], CultureInfo.InvariantCulture) && !c.Nullable && !c.Generated)))
            .Select(g => g.Select(r => Convert.ToString(r[1], CultureInfo.InvariantCulture)!).ToList())
            .ToList();
    }

    /// <summary>How the checksum renders a column on each side, when both render its values the same way; null leaves it out (the rows are still counted and keyed).</summary>
    private (string Original, string Shadow, bool Nullable)? Compared(Column original, Column shadow)
    {
        var nullable = original.Nullable || shadow.Nullable;
        var w = session.Writer;
        var o = w.QuoteIdentifier(original.Name);
        var s = w.QuoteIdentifier(shadow.Name);
        if (Integers.Contains(original.DataType) && Integers.Contains(shadow.DataType))
        {
            return (o, s, nullable);
        }

        if (Strings.Contains(original.DataType) && Strings.Contains(shadow.DataType))
        {
            return ($"CONVERT({o} USING utf8mb4)", $"CONVERT({s} USING utf8mb4)", nullable);
        }

        if (Binaries.Contains(original.DataType) && Binaries.Contains(shadow.DataType))
        {
            return ($"HEX({o})", $"HEX({s})", nullable);
        }

        return string.Equals(original.ColumnType, shadow.ColumnType, StringComparison.OrdinalIgnoreCase) ? (o, s, nullable) : null;
    }

    private MySqlSession Worker() => worker ?? throw new InvalidOperationException("OpenAsync first");

    private sealed record Column(string Name, int Ordinal, string DataType, string ColumnType, bool Nullable, bool Generated);
}
