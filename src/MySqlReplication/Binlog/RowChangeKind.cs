namespace SchemaBuild.MySqlReplication.Binlog;

public enum RowChangeKind
{
    Insert,
    Update,
    Delete,
}
