using Xunit;

namespace SchemaBuild.Build.Tests;

/// <summary>One packed feed for every test; builds in the collection run one after another (the machine has few cores).</summary>
[CollectionDefinition(Name)]
public sealed class PackedFeedCollection : ICollectionFixture<PackedFeed>
{
    public const string Name = "packed feed";
}
