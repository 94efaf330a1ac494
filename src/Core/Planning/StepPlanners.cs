using SchemaBuild.Core.Dialects;
using SchemaBuild.Core.Planning.MySql;
using SchemaBuild.Core.Planning.Postgres;

namespace SchemaBuild.Core.Planning;

/// <summary>The engine-specific step planner for an engine profile.</summary>
public static class StepPlanners
{
    public static IStepPlanner For(EngineProfile engine) =>
        engine.IsPostgres ? new PostgresStepPlanner(engine) : new MySqlStepPlanner(engine);
}
