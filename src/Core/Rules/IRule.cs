namespace SchemaBuild.Core.Rules;

/// <summary>One concern of the diagnostics catalog; reports through the context.</summary>
public interface IRule
{
    void Check(RuleContext context);
}
