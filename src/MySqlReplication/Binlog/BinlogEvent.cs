namespace SchemaBuild.MySqlReplication.Binlog;

/// <summary>
/// A decoded binlog event. <see cref="Position"/> is where the event ends, i.e. the
/// position to resume from after handling it.
/// </summary>
public abstract record BinlogEvent(BinlogEventHeader Header)
{
    public BinlogPosition Position { get; init; }
}
