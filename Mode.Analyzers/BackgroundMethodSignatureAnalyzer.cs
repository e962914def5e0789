using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Mode.Analyzers.Helpers;
using Mode.Shared;

namespace Mode.Analyzers;

/// <summary>
/// MODE005: a <c>[Task]</c>, <c>[Timer]</c> or <c>[Crontab]</c> method the generator cannot wire.
/// Supported: an ordinary, non-generic instance method; <c>[Task]</c> returns <c>Task</c> or
/// <c>ValueTask</c>, <c>[Timer]</c>/<c>[Crontab]</c> return <c>void</c>, <c>Task</c> or
/// <c>ValueTask</c>; no parameter or one <c>CancellationToken</c>. Also reported: the attributes on
/// a local function or lambda (C# allows it, nothing wires it), and more than one of them on a method.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BackgroundMethodSignatureAnalyzer : DiagnosticAnalyzer
{
    private const string TaskForms = "an instance method 'Task M()', 'Task M(CancellationToken)', 'ValueTask M()' or 'ValueTask M(CancellationToken)'";
    private const string TimerForms = "an instance method returning void, Task or ValueTask, with no parameter or one CancellationToken";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.UnsupportedBackgroundMethodSignature);

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

            start.RegisterSymbolAction(c => AnalyzeMethod(c, symbols), SymbolKind.Method);
            start.RegisterSyntaxNodeAction(
                c => AnalyzeFunction(c, symbols),
                SyntaxKind.LocalFunctionStatement,
                SyntaxKind.ParenthesizedLambdaExpression);
        });
    }

    private static void AnalyzeMethod(SymbolAnalysisContext context, ModeSymbols symbols)
    {
        var method = (IMethodSymbol)context.Symbol;
        var kinds = BackgroundKinds(method, symbols);
        if (kinds.Count == 0 || method.Locations.IsDefaultOrEmpty)
        {
            return;
        }

        var problems = new List<string>();
        if (kinds.Count > 1)
        {
            problems.Add("it has more than one of [Task], [Timer] and [Crontab]");
        }

        // The generator's own rule (Shared/WiringRules.cs): reported here exactly when it skips the method.
        WiringRules.IsWirableBackgroundMethod(method, allowVoid: kinds[0] != ModeAttributeKind.Task, out _, out _, problems);
        if (problems.Count > 0)
        {
            Report(context.ReportDiagnostic, method.Locations[0], kinds[0], method, problems);
        }
    }

    private static void AnalyzeFunction(SyntaxNodeAnalysisContext context, ModeSymbols symbols)
    {
        var attributeLists = context.Node switch
        {
            LocalFunctionStatementSyntax local => local.AttributeLists,
            ParenthesizedLambdaExpressionSyntax lambda => lambda.AttributeLists,
            _ => default,
        };
        if (attributeLists.Count == 0)
        {
            return;
        }

        var symbol = context.Node is LocalFunctionStatementSyntax
            ? context.SemanticModel.GetDeclaredSymbol(context.Node, context.CancellationToken) as IMethodSymbol
            : context.SemanticModel.GetSymbolInfo(context.Node, context.CancellationToken).Symbol as IMethodSymbol;
        if (symbol is null)
        {
            return;
        }

        var kinds = BackgroundKinds(symbol, symbols);
        if (kinds.Count == 0)
        {
            return;
        }

        var location = context.Node is LocalFunctionStatementSyntax localFunction
            ? localFunction.Identifier.GetLocation()
            : ((ParenthesizedLambdaExpressionSyntax)context.Node).ArrowToken.GetLocation();
        var what = context.Node is LocalFunctionStatementSyntax ? "a local function" : "a lambda";
        Report(context.ReportDiagnostic, location, kinds[0], symbol, [$"it is {what}, which the generator cannot wire"]);
    }

    private static List<ModeAttributeKind> BackgroundKinds(IMethodSymbol method, ModeSymbols symbols)
    {
        var kinds = new List<ModeAttributeKind>(1);
        foreach (var attribute in method.GetAttributes())
        {
            var kind = symbols.GetAttributeKind(attribute);
            if (kind is ModeAttributeKind.Task or ModeAttributeKind.Timer or ModeAttributeKind.Crontab)
            {
                kinds.Add(kind);
            }
        }

        return kinds;
    }

    private static void Report(Action<Diagnostic> report, Location location, ModeAttributeKind kind, IMethodSymbol method, List<string> problems) =>
        report(Diagnostic.Create(
            DiagnosticDescriptors.UnsupportedBackgroundMethodSignature,
            location,
            kind.ToString(),
            method.MethodKind switch
            {
                MethodKind.LocalFunction => method.Name,
                MethodKind.AnonymousFunction => "lambda",
                _ => SymbolNames.Member(method),
            },
            string.Join("; ", problems),
            kind == ModeAttributeKind.Task ? TaskForms : TimerForms));
}
