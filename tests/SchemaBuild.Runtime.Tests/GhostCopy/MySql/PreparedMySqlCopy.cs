using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Model;
using SchemaBuild.Runtime.Engines.MySql;
using SchemaBuild.Runtime.Engines.MySql.Online;
using SchemaBuild.Runtime.Online;
using SchemaBuild.Runtime.Online.Roles;

namespace SchemaBuild.Runtime.Tests.GhostCopy.MySql;

/// <summary>
/// A MariaDB ghost copy prepared up to its shadow (<see cref="PreparedCopy{TSession, TEngine}"/>).
/// </summary>
internal sealed class PreparedMySqlCopy : PreparedCopy<MySqlSession, MySqlOnlineEngine>
{
    private PreparedMySqlCopy(Parts parts)
        : base(parts)
    {
    }

    /// <summary>The shadow's name, quoted.</summary>
    public string Shadow => "`" + Table.Shadow + "`";

    public static async Task<PreparedMySqlCopy> CreateAsync(string label, string baseline, string desired, string setup) =>
        new(await PrepareAsync(DialectKind.MariaDb, label, baseline, desired, setup, QualifiedName.Unqualified("items"), session => MySqlOnlineEngine.CreateAsync(session, GhostCopyOptions.Default, CancellationToken.None)));
}
