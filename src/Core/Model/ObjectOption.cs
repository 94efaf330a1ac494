namespace SchemaBuild.Core.Model;

/// <summary>A name/value option kept verbatim (normalized spelling), e.g. <c>stats_persistent=1</c>.</summary>
public sealed record ObjectOption(string Name, string Value)
{
    public override string ToString() => Name + "=" + Value;
}
