namespace SchemaBuild.Build.Tests;

/// <summary>Schema file texts the tests build with.</summary>
public static class Schemas
{
    public const string Users = """
        CREATE TABLE users (
          id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
          email VARCHAR(255) NOT NULL,
          legacy_email VARCHAR(255) NULL
        );
        """;

    /// <summary><see cref="Users"/> with legacy_email dropped: SB1002 against a baseline that has it.</summary>
    public const string UsersWithoutLegacyEmail = """
        CREATE TABLE users (
          id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
          email VARCHAR(255) NOT NULL
        );
        """;

    public const string UsersWithDeprecatedLegacyEmail = """
        CREATE TABLE users (
          id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
          email VARCHAR(255) NOT NULL,
          -- schema:deprecated "use email; legacy_email goes away in 2027.1"
          legacy_email VARCHAR(255) NULL
        );
        """;

    public const string Orders = """
        CREATE TABLE orders (
          id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
          user_id BIGINT NOT NULL,
          total DECIMAL(12,2) NOT NULL,
          KEY ix_orders_user (user_id),
          CONSTRAINT fk_orders_user FOREIGN KEY (user_id) REFERENCES users (id)
        );
        """;

    /// <summary>C# that reads legacy_email through the generated accessor.</summary>
    public const string UsesLegacyEmail = """
        namespace Consumer;

        public static class UserQueries
        {
            public static string Lookup => $"SELECT {Db.Users.Email}, {Db.Users.LegacyEmail} FROM {Db.Users.Table} WHERE {Db.Users.Id} = @id";
        }
        """;
}
