namespace SchemaBuild.Core.Syntax;

/// <summary>The <c>-- schema:</c> annotations.</summary>
public enum AnnotationKind
{
    RenamedFrom,
    Deprecated,
    Allow,
}
