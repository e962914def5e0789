using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Mode.Analyzers.Helpers;

namespace Mode.Analyzers;

/// <summary>
/// MODE007: an <c>async void</c> method or local function declared in a class deriving from
/// <c>Mode.Service</c>, and an <c>async</c> lambda or anonymous method there converted to a
/// delegate that returns <c>void</c> (<c>Action</c>, <c>EventHandler</c>, …). Event-handler-shaped
/// methods (<c>(object sender, EventArgs e)</c>, any <c>EventArgs</c>-derived second parameter) are
/// exempt, because an event needs a <c>void</c> method; an async lambda subscribed to an event is
/// reported, since its exceptions crash the process all the same.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class AsyncVoidAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.AsyncVoidInService);

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
            start.RegisterSyntaxNodeAction(c => AnalyzeLocalFunction(c, symbols), SyntaxKind.LocalFunctionStatement);
            start.RegisterSyntaxNodeAction(
                c => AnalyzeAnonymousFunction(c, symbols),
                SyntaxKind.ParenthesizedLambdaExpression,
                SyntaxKind.SimpleLambdaExpression,
                SyntaxKind.AnonymousMethodExpression);
        });
    }

    private static void AnalyzeMethod(SymbolAnalysisContext context, ModeSymbols symbols)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (IsAsyncVoidInService(method, symbols) && !method.Locations.IsDefaultOrEmpty)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.AsyncVoidInService, method.Locations[0], "'" + SymbolNames.Member(method) + "'", ReturnTask));
        }
    }

    private static void AnalyzeLocalFunction(SyntaxNodeAnalysisContext context, ModeSymbols symbols)
    {
        var syntax = (LocalFunctionStatementSyntax)context.Node;
        if (!syntax.Modifiers.Any(SyntaxKind.AsyncKeyword)
            || context.SemanticModel.GetDeclaredSymbol(syntax, context.CancellationToken) is not IMethodSymbol method
            || !IsAsyncVoidInService(method, symbols))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.AsyncVoidInService, syntax.Identifier.GetLocation(), "'" + method.Name + "'", ReturnTask));
    }

    private static void AnalyzeAnonymousFunction(SyntaxNodeAnalysisContext context, ModeSymbols symbols)
    {
        var syntax = (AnonymousFunctionExpressionSyntax)context.Node;
        if (!syntax.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword)
            || context.SemanticModel.GetTypeInfo(syntax, context.CancellationToken).ConvertedType is not INamedTypeSymbol { TypeKind: TypeKind.Delegate, DelegateInvokeMethod.ReturnsVoid: true } delegateType
            || !symbols.IsService(ContainingType(context.ContainingSymbol)))
        {
            return;
        }

        // The header: 'async () =>', 'async x =>', 'async delegate'.
        var end = syntax switch
        {
            LambdaExpressionSyntax lambda => lambda.ArrowToken.Span.End,
            AnonymousMethodExpressionSyntax method => method.DelegateKeyword.Span.End,
            _ => syntax.AsyncKeyword.Span.End,
        };
        var what = syntax is AnonymousMethodExpressionSyntax ? "An async anonymous method" : "An async lambda";
        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.AsyncVoidInService,
            Location.Create(syntax.SyntaxTree, TextSpan.FromBounds(syntax.AsyncKeyword.SpanStart, end)),
            $"{what} converted to '{delegateType.ToDisplayString(SymbolNames.ShortType)}'",
            "take a delegate that returns Task (Func<Task>) and await it, or catch every exception inside"));
    }

    private const string ReturnTask = "return Task instead";

    private static INamedTypeSymbol? ContainingType(ISymbol? symbol)
    {
        for (var current = symbol; current is not null; current = current.ContainingSymbol)
        {
            if (current is INamedTypeSymbol type)
            {
                return type;
            }
        }

        return null;
    }

    private static bool IsAsyncVoidInService(IMethodSymbol method, ModeSymbols symbols)
    {
        if (!method.IsAsync || !method.ReturnsVoid || !symbols.IsService(method.ContainingType))
        {
            return false;
        }

        return !IsEventHandlerShaped(method, symbols);
    }

    private static bool IsEventHandlerShaped(IMethodSymbol method, ModeSymbols symbols)
    {
        if (method.Parameters.Length != 2 || method.Parameters[0].Type.SpecialType != SpecialType.System_Object)
        {
            return false;
        }

        for (var type = method.Parameters[1].Type; type is not null; type = type.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(type, symbols.EventArgs))
            {
                return true;
            }
        }

        return false;
    }
}
