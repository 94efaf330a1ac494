using System.Collections.Generic;

namespace SchemaBuild.MySqlReplication.Binlog;

/// <summary>
/// A column as described by TABLE_MAP: wire type, type metadata, and what the
/// optional metadata adds (name, signedness, collation, enum/set members).
/// </summary>
public sealed record BinlogColumn(int Index, MySqlColumnType Type, ushort Metadata, bool Nullable)
{
    /// <summary>The declared type: ENUM and SET travel as STRING with the real type in the metadata.</summary>
    public MySqlColumnType RealType { get; init; } = Type;
    public string? Name { get; init; }
    public bool IsUnsigned { get; init; }
    /// <summary>Collation id of character columns (63 = binary), when the server sent it.</summary>
    public int? Collation { get; init; }
    public IReadOnlyList<string>? EnumValues { get; init; }
    public IReadOnlyList<string>? SetValues { get; init; }
    public bool IsPrimaryKey { get; init; }
}
