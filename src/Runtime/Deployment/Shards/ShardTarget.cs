using System;
using System.Globalization;
using SchemaBuild.Runtime.Connections;

namespace SchemaBuild.Runtime.Deployment.Shards;

/// <summary>One database of a sharded deployment: its name (the prefix of its progress lines) and its connection.</summary>
public sealed record ShardTarget(string Name, ConnectionUrl Connection)
{
    /// <summary>The server the shard lives on (<c>host:port</c>): bulk copies are limited per server (<c>--parallel</c>).</summary>
    public string Server => Connection.Host.ToLowerInvariant() + ":" + Connection.Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>A shard named after its connection (repeated <c>--connection</c>): the database, qualified by the server when needed.</summary>
    public static ShardTarget FromConnection(ConnectionUrl connection, bool qualify) =>
        new(qualify ? $"{connection.Host}:{connection.Port.ToString(CultureInfo.InvariantCulture)}/{connection.Database}" : connection.Database ?? throw new ArgumentException("the connection names no database", nameof(connection)), connection);

    public override string ToString() => $"{Name} ({Connection})";
}
