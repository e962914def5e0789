using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Mode.Analyzers.Helpers;

namespace Mode.Analyzers;

/// <summary>
/// Suppresses CA1822 ("mark members as static") on <c>[Task]</c>, <c>[Timer]</c> and
/// <c>[Crontab]</c> methods: the generator calls them on the service instance, and following the
/// suggestion would turn the method into a MODE005 error.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BackgroundMethodStaticSuppressor : DiagnosticSuppressor
{
    internal static readonly SuppressionDescriptor MarkMembersAsStatic = new(
        id: "MODESPR001",
        suppressedDiagnosticId: "CA1822",
        justification: "[Task], [Timer] and [Crontab] methods are called on the service instance by the Mode generator and must not be static (MODE005).");

    /// <inheritdoc />
    public override ImmutableArray<SuppressionDescriptor> SupportedSuppressions { get; } =
        ImmutableArray.Create(MarkMembersAsStatic);

    /// <inheritdoc />
    public override void ReportSuppressions(SuppressionAnalysisContext context)
    {
        if (!ModeSymbols.TryCreate(context.Compilation, out var symbols))
        {
            return;
        }

        foreach (var diagnostic in context.ReportedDiagnostics)
        {
            var tree = diagnostic.Location.SourceTree;
            if (tree is null)
            {
                continue;
            }

            var node = tree.GetRoot(context.CancellationToken).FindNode(diagnostic.Location.SourceSpan);
            var model = context.GetSemanticModel(tree);
            if (model.GetDeclaredSymbol(node, context.CancellationToken) is IMethodSymbol method
                && symbols.GetModeAttribute(method, out _) is ModeAttributeKind.Task or ModeAttributeKind.Timer or ModeAttributeKind.Crontab)
            {
                context.ReportSuppression(Suppression.Create(MarkMembersAsStatic, diagnostic));
            }
        }
    }
}
