namespace Mode.Analyzers;

/// <summary>The small fixed set of categories of the Mode diagnostics.</summary>
internal static class DiagnosticCategories
{
    /// <summary>The shape of a declaration: partial, base class, signatures, attribute arguments.</summary>
    public const string Design = "Mode.Design";

    /// <summary>The service graph built from <c>[DependsOn]</c> members.</summary>
    public const string Dependencies = "Mode.Dependencies";

    /// <summary>Blocking calls and async misuse.</summary>
    public const string Async = "Mode.Async";
}
