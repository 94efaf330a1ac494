using System;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Core.Dialects;

/// <summary>
/// What one engine version can do without copying or blocking: the facts the planner picks
/// strategies from (docs/rules.md, "Strategy facts"). Keyed by dialect and server version.
/// </summary>
public sealed record EngineProfile(DialectKind Dialect, Version Version)
{
    /// <summary>The server version used when <c>SchemaServerVersion</c> is not set.</summary>
    public static string DefaultVersion(DialectKind dialect) => dialect switch
    {
        DialectKind.MySql => "8.0.36",
        DialectKind.MariaDb => "10.11",
        _ => "15",
    };

    public static EngineProfile For(DialectKind dialect, string? version = null)
    {
        var text = string.IsNullOrWhiteSpace(version) ? DefaultVersion(dialect) : version!.Trim();
        if (!TryParseVersion(text, out var parsed))
        {
            throw new FormatException($"'{text}' is not a server version; write it like 10.11, 8.0.36 or 15");
        }

        return new EngineProfile(dialect, parsed);
    }

    public static bool TryParseVersion(string text, out Version version)
    {
        // Accept what servers report too: "10.11.19-MariaDB-log", "15.20 (Debian ...)".
        var end = 0;
        while (end < text.Length && (char.IsDigit(text[end]) || text[end] == '.'))
        {
            end++;
        }

        var numeric = text.Substring(0, end).TrimEnd('.');
        if (numeric.Length > 0 && !numeric.Contains("."))
        {
            numeric += ".0";
        }

        return Version.TryParse(numeric, out version!);
    }

    public bool IsPostgres => Dialect == DialectKind.Postgres;

    public bool IsMariaDb => Dialect == DialectKind.MariaDb;

    public bool IsMySql => Dialect == DialectKind.MySql;

    private bool AtLeast(int major, int minor, int build = 0) =>
        Version >= new Version(major, minor, build < 0 ? 0 : build);

    /// <summary>
    /// Index names (and those of the constraints an index backs: primary and unique keys) are unique per schema
    /// (PostgreSQL), not per table (MySQL/MariaDB, where every primary key is <c>PRIMARY</c>).
    /// </summary>
    public bool IndexNamesPerSchema => IsPostgres;

    /// <summary>Foreign key names are unique per database (InnoDB), not per table (PostgreSQL).</summary>
    public bool ForeignKeyNamesPerSchema => !IsPostgres;

    /// <summary>CHECK constraint names are unique per schema on MySQL 8; per table on MariaDB and PostgreSQL.</summary>
    public bool CheckNamesPerSchema => IsMySql;

    /// <summary>Longest identifier in bytes: MySQL 64, PostgreSQL 63.</summary>
    public int MaxIdentifierBytes => IsPostgres ? 63 : 64;

    /// <summary>
    /// ADD COLUMN can place a column between existing ones (MySQL <c>AFTER</c>/<c>FIRST</c>). PostgreSQL only
    /// appends, and keeps the order of existing columns.
    /// </summary>
    public bool PlacesColumns => !IsPostgres;

    /// <summary>DDL runs inside transactions (PostgreSQL) or commits implicitly (MySQL).</summary>
    public bool TransactionalDdl => IsPostgres;

    /// <summary>ADD COLUMN as the last column without a copy: MariaDB 10.3+, MySQL 8.0.12+.</summary>
    public bool InstantAddColumnAtEnd => IsMariaDb ? AtLeast(10, 3) : IsMySql && AtLeast(8, 0, 12);

    /// <summary>ADD COLUMN at any position without a copy: MariaDB 10.4+, MySQL 8.0.29+.</summary>
    public bool InstantAddColumnAnywhere => IsMariaDb ? AtLeast(10, 4) : IsMySql && AtLeast(8, 0, 29);

    /// <summary>DROP COLUMN without a copy: MariaDB 10.4+, MySQL 8.0.29+.</summary>
    public bool InstantDropColumn => InstantAddColumnAnywhere;

    /// <summary>Reordering columns without a copy: MariaDB 10.4+ only.</summary>
    public bool InstantReorderColumns => IsMariaDb && AtLeast(10, 4);

    /// <summary>Renaming a column alone (same definition) is metadata-only.</summary>
    public bool InstantRenameColumn => IsMariaDb ? AtLeast(10, 4) : IsMySql && AtLeast(8, 0);

    /// <summary>Growing a VARCHAR within the same length-byte size: INSTANT on MariaDB 10.4+, INPLACE elsewhere.</summary>
    public bool InstantVarcharGrowth => IsMariaDb && AtLeast(10, 4);

    /// <summary>Appending ENUM/SET members within the same storage size is metadata-only.</summary>
    public bool InstantEnumAppend => !IsPostgres;

    /// <summary><c>RENAME TABLE</c> accepted under <c>LOCK TABLES</c>: MySQL 8.0.13+; MariaDB refuses it (use ALTER TABLE ... RENAME).</summary>
    public bool RenameTableUnderLockTables => IsMySql && AtLeast(8, 0, 13);

    /// <summary>MySQL-family limit on instant column changes before a rebuild is forced (MySQL 8.0.29+: 64 row versions).</summary>
    public int? InstantRowVersionLimit => IsMySql ? 64 : null;

    /// <summary>PostgreSQL 11+: ADD COLUMN with a non-volatile default is metadata-only.</summary>
    public bool FastColumnDefaults => IsPostgres && AtLeast(11, 0);

    /// <summary>PostgreSQL 12+: SET NOT NULL skips the scan when a validated CHECK (col IS NOT NULL) exists.</summary>
    public bool NotNullFromValidatedCheck => IsPostgres && AtLeast(12, 0);

    /// <summary>PostgreSQL 15+: UNIQUE NULLS NOT DISTINCT.</summary>
    public bool NullsNotDistinct => IsPostgres && AtLeast(15, 0);

    /// <summary>
    /// Whether <c>CREATE OR REPLACE</c> exists for a kind of programmable object: PostgreSQL
    /// functions and procedures, aggregates (12+) and triggers (14+); MariaDB functions, procedures
    /// and triggers; nothing on MySQL. The others are dropped and created.
    /// </summary>
    public bool CanReplace(string kind) => kind.ToUpperInvariant() switch
    {
        "FUNCTION" or "PROCEDURE" => IsPostgres || IsMariaDb,
        "AGGREGATE" => IsPostgres && AtLeast(12, 0),
        "TRIGGER" => (IsPostgres && AtLeast(14, 0)) || IsMariaDb,
        _ => false,
    };

    /// <summary>
    /// The access list an object starts with for roles other than its owner, which the model leaves out (PostgreSQL:
    /// nothing, except USAGE for PUBLIC on the <c>public</c> schema). The owner itself holds every privilege without a
    /// GRANT there, so the access list the server records never shows a grant to it.
    /// </summary>
    public EquatableList<PrivilegeGrant> DefaultPrivileges(string kind, QualifiedName name) =>
        IsPostgres ? Postgres.PostgresPrivileges.Defaults(kind, name) : EquatableList<PrivilegeGrant>.Empty;

    public override string ToString() => $"{Dialect} {Version}";
}
