namespace SchemaBuild.Core.Planning;

/// <summary>
/// A query the runtime runs before a step's first statement: it returns one count, and a count
/// above zero refuses the step with <see cref="Refusal"/> (<c>{count}</c> stands for the count). Used where the
/// server would accept data the change is meant to forbid, e.g. a MySQL foreign key added with
/// foreign_key_checks off, which does not look at existing rows.
/// </summary>
public sealed record StepPrecheck(string CountSql, string Refusal);
