namespace SchemaBuild.Core.Model;

/// <summary>
/// Sequence parameters. Normalized values are explicit (the normalizer fills the engine's defaults),
/// so a sequence written with and without <c>START 1</c> compares equal.
/// </summary>
public sealed record SequenceOptions
{
    /// <summary>The sequence's integer type (PostgreSQL <c>AS bigint</c>).</summary>
    public string? DataType { get; init; }

    public long? Start { get; init; }

    public long? Increment { get; init; }

    public long? MinValue { get; init; }

    public long? MaxValue { get; init; }

    public long? Cache { get; init; }

    public bool Cycle { get; init; }
}
