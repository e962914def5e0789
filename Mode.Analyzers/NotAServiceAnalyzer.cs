using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Mode.Analyzers.Helpers;

namespace Mode.Analyzers;

/// <summary>
/// MODE004: a type whose members carry <c>[Task]</c>, <c>[Timer]</c>, <c>[Crontab]</c> or
/// <c>[DependsOn]</c> but that does not derive from <c>Mode.Service</c> (a plain class, a struct,
/// a record struct, an interface). The attributes would be silently ignored.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NotAServiceAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.NotAService);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            if (!ModeSymbols.TryCreate(start.Compilation, out var symbols))
            {
                return;
            }

            start.RegisterSymbolAction(symbolContext => Analyze(symbolContext, symbols), SymbolKind.NamedType);
        });
    }

    private static void Analyze(SymbolAnalysisContext context, ModeSymbols symbols)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (symbols.IsService(type) || !symbols.IsAnnotated(type, out var attributes) || type.Locations.IsDefaultOrEmpty)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.NotAService,
            type.Locations[0],
            type.ToDisplayString(SymbolNames.ShortType),
            attributes));
    }
}
