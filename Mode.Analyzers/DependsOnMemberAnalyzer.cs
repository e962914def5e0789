using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Mode.Analyzers.Helpers;
using Mode.Shared;

namespace Mode.Analyzers;

/// <summary>
/// MODE008: a <c>[DependsOn]</c> field or property whose type is not an <c>IService</c>.
/// MODE009: a <c>[DependsOn]</c> member the generator cannot read per instance: a static member, a
/// write-only property, an indexer, or an explicit interface implementation.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DependsOnMemberAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.DependencyNotAService, DiagnosticDescriptors.UnsupportedDependencyMember);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            if (!ModeSymbols.TryCreate(start.Compilation, out var symbols) || symbols.DependsOnAttribute is null)
            {
                return;
            }

            start.RegisterSymbolAction(c => Analyze(c, symbols), SymbolKind.Field, SymbolKind.Property);
        });
    }

    private static void Analyze(SymbolAnalysisContext context, ModeSymbols symbols)
    {
        var member = context.Symbol;
        if (member.IsImplicitlyDeclared
            || member.Locations.IsDefaultOrEmpty
            || !member.GetAttributes().Any(a => symbols.GetAttributeKind(a) == ModeAttributeKind.DependsOn))
        {
            return;
        }

        var (kind, type) = member switch
        {
            IFieldSymbol field => ("field", field.Type),
            IPropertySymbol property => ("property", property.Type),
            _ => ("member", (ITypeSymbol?)null),
        };
        if (type is null)
        {
            return;
        }

        var name = SymbolNames.Member(member);
        // The generator's own rule (Shared/WiringRules.cs): reported here exactly when it skips the member.
        var problem = WiringRules.DependencyMemberProblem(member);
        if (problem is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnsupportedDependencyMember, member.Locations[0], kind, name, problem));
        }

        if (type.TypeKind != TypeKind.Error && !WiringRules.IsServiceInterfaceType(type))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.DependencyNotAService,
                member.Locations[0],
                kind,
                name,
                type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
        }
    }
}
