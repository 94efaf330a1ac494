namespace SchemaBuild.MySqlClient.Binlog;

public enum RowChangeKind
{
    Insert,
    Update,
    Delete,
}
