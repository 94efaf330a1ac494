namespace SchemaBuild.MySqlReplication.Binlog;

/// <summary>The 19-byte common header of every binlog event.</summary>
public readonly record struct BinlogEventHeader(uint Timestamp, BinlogEventType Type, uint ServerId, uint EventSize, uint NextPosition, ushort Flags)
{
    public const int Size = 19;
    /// <summary>LOG_EVENT_ARTIFICIAL_F: made up by the server for the stream, not stored in the file.</summary>
    public bool IsArtificial => (Flags & 0x20) != 0;
}
