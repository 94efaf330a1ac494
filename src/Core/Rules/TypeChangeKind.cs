namespace SchemaBuild.Core.Rules;

/// <summary>What a column type change does to the values already stored.</summary>
public enum TypeChangeKind
{
    /// <summary>No type change.</summary>
    None,

    /// <summary>Every old value fits the new type unchanged (int → bigint, varchar(50) → varchar(100)).</summary>
    Widening,

    /// <summary>Some old values cannot be held: truncated, rounded or out of range (SB1003).</summary>
    Lossy,

    /// <summary>Values must be converted between families and the conversion may fail (SB3004).</summary>
    Conversion,
}
