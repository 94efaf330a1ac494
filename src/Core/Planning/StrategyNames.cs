namespace SchemaBuild.Core.Planning;

/// <summary>The stable names of strategies in plan.json, plan.sql and plan.md.</summary>
public static class StrategyNames
{
    public static string Of(Strategy strategy) => strategy switch
    {
        Strategy.Direct => "direct",
        Strategy.Instant => "instant",
        Strategy.InPlace => "inplace",
        Strategy.Concurrent => "concurrent",
        Strategy.NotValidValidate => "not-valid-validate",
        _ => "ghost-copy",
    };

    public static bool TryParse(string text, out Strategy strategy)
    {
        foreach (Strategy candidate in System.Enum.GetValues(typeof(Strategy)))
        {
            if (Of(candidate) == text)
            {
                strategy = candidate;
                return true;
            }
        }

        strategy = default;
        return false;
    }
}
