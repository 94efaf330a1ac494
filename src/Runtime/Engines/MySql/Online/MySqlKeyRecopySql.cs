using System.Collections.Generic;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.Online.Roles;

namespace SchemaBuild.Runtime.Engines.MySql.Online;

/// <summary>
/// The MariaDB statements of <see cref="KeyRecopyApplier"/>: <c>DELETE</c> from the shadow, then
/// <c>REPLACE … SELECT</c> from the original. Outside the cutover the read locks the rows (<c>LOCK
/// IN SHARE MODE</c>): it waits for a transaction already in the binlog but not yet committed in
/// InnoDB, and then reads its rows.
/// </summary>
internal sealed class MySqlKeyRecopySql : IKeyRecopySql
{
    private readonly MySqlCopyTable table;

    public MySqlKeyRecopySql(MySqlCopyTable table) => this.table = table;

    public string Delete(IReadOnlyCollection<RowKey> keys, List<object?> parameters) =>
        $"DELETE FROM {table.Shadow} WHERE {KeySql.In(table.KeyShadow, keys, parameters)}";

    public string Copy(IReadOnlyCollection<RowKey> keys, bool writersBlocked, List<object?> parameters) =>
        $"REPLACE INTO {table.Shadow} ({table.ShadowColumns}) SELECT {table.SourceColumns} FROM {table.Original} WHERE {KeySql.In(table.KeyOriginal, keys, parameters)}"
        + (writersBlocked ? string.Empty : " LOCK IN SHARE MODE");
}
