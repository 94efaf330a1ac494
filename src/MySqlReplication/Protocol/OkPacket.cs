namespace SchemaBuild.MySqlReplication.Protocol;

internal readonly record struct OkPacket(ulong AffectedRows, ulong LastInsertId, ServerStatus Status, ushort Warnings);
