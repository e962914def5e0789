using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Mode.Analyzers.Helpers;
using Mode.Shared;

namespace Mode.Analyzers;

/// <summary>
/// The service classes the generator skips for a reason no other rule names, each reported once per
/// class at its name, with the generator's own rules (<c>Shared/WiringRules.cs</c>):
/// MODE010, the class declares <c>ConfigureWiring</c> itself; MODE011, the <c>ConfigureWiring</c> it
/// inherits is sealed or not virtual; MODE012, the class or a containing type is <c>file</c>-local.
/// Only classes deriving from <c>Mode.Service</c> with annotated members are considered (MODE004
/// covers the rest; MODE003 a missing <c>partial</c>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ServiceWiringSkipAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.ServiceDeclaresConfigureWiring,
        DiagnosticDescriptors.ConfigureWiringNotOverridable,
        DiagnosticDescriptors.FileLocalService);

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

            start.RegisterSymbolAction(c => Analyze(c, symbols), SymbolKind.NamedType);
        });
    }

    private static void Analyze(SymbolAnalysisContext context, ModeSymbols symbols)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (type.TypeKind != TypeKind.Class ||
            type.Locations.IsDefaultOrEmpty ||
            !WiringRules.DerivesFromService(type) ||
            !symbols.IsAnnotated(type, out var attributes))
        {
            return;
        }

        var name = type.ToDisplayString(SymbolNames.ShortType);
        var location = type.Locations[0];
        if (WiringRules.DeclaresConfigureWiring(type))
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ServiceDeclaresConfigureWiring, location, name, attributes));
        }

        if (WiringRules.SealedConfigureWiring(type) is { } inherited)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.ConfigureWiringNotOverridable,
                location,
                name,
                inherited.ContainingType.ToDisplayString(SymbolNames.ShortType),
                inherited.IsSealed ? "sealed" : "not virtual"));
        }

        if (WiringRules.FileLocalType(type) is { } fileLocal)
        {
            var where = SymbolEqualityComparer.Default.Equals(fileLocal, type)
                ? string.Empty
                : " (it is nested in the file-local '" + fileLocal.ToDisplayString(SymbolNames.ShortType) + "')";
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.FileLocalService, location, name, where));
        }
    }
}
