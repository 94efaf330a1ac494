namespace SchemaBuild.Core.Syntax;

/// <summary>
/// A comment the lexer saw. Annotations (<c>-- schema:...</c>) are read from these;
/// <see cref="OwnLine"/> tells whether code precedes it on its line.
/// </summary>
public sealed record Comment(string Text, int Start, int Line, int Column, bool OwnLine);
