namespace SchemaBuild.Core.Dialects.MySql;

/// <summary>
/// The server defaults the normalizer makes explicit. They are those of the test server
/// (MariaDB 10.11 started with --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci),
/// which is also what MySQL 8 and MariaDB 10.11 use out of the box for the charset.
/// </summary>
internal static class MySqlDefaults
{
    public const string Charset = "utf8mb4";

    public const string Collation = "utf8mb4_general_ci";

    public const string Engine = "InnoDB";

    public const string PrimaryKeyName = "PRIMARY";
}
