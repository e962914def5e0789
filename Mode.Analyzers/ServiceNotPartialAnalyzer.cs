using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Mode.Analyzers.Helpers;

namespace Mode.Analyzers;

/// <summary>
/// MODE003: a service class whose members carry <c>[Task]</c>, <c>[Timer]</c>, <c>[Crontab]</c> or
/// <c>[DependsOn]</c> must be <c>partial</c>, and so must every type containing it. Reported once
/// per class, at its name. A class that does not derive from <c>Mode.Service</c> gets MODE004 only.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ServiceNotPartialAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.ServiceNotPartial);

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
        if (type.TypeKind != TypeKind.Class || !symbols.IsService(type) || !symbols.IsAnnotated(type, out _))
        {
            return;
        }

        var nonPartial = PartialTypes.NonPartialChain(type, context.CancellationToken);
        if (nonPartial.Count == 0 || type.Locations.IsDefaultOrEmpty)
        {
            return;
        }

        var names = string.Join(", ", nonPartial.Select(t => "'" + t.ToDisplayString(SymbolNames.ShortType) + "'"));
        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.ServiceNotPartial,
            type.Locations[0],
            type.ToDisplayString(SymbolNames.ShortType),
            names));
    }
}
