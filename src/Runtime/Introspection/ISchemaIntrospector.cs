using System.Threading;
using System.Threading.Tasks;
using SchemaBuild.Core.Model;

namespace SchemaBuild.Runtime.Introspection;

/// <summary>
/// Reads the live schema of the connected database into the Core model, normalized exactly as
/// parsed schema files are, so that a deployed schema equals the model of its files.
/// </summary>
public interface ISchemaIntrospector
{
    /// <summary>The live model; an <see cref="IntrospectionException"/> says which object could not be read.</summary>
    Task<Schema> IntrospectAsync(CancellationToken cancellationToken);

    /// <summary>The live schema as the declarative DDL the introspector parsed (the server's own text where it has one).</summary>
    Task<string> ReadDdlAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The live objects' owners and the privileges they hold without a GRANT, where the engine has such owners
    /// (PostgreSQL); <see cref="ObjectOwners.None"/> elsewhere. Compared with schema files through <see cref="ObjectOwners.Credit"/>.
    /// </summary>
    Task<ObjectOwners> OwnersAsync(CancellationToken cancellationToken) => Task.FromResult(ObjectOwners.None);
}
