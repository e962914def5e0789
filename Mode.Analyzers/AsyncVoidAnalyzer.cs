using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Mode.Analyzers.Helpers;

namespace Mode.Analyzers;

/// <summary>
/// MODE007: an <c>async void</c> method or local function declared in a class deriving from
/// <c>Mode.Service</c>. Event handlers (<c>(object sender, EventArgs e)</c> shape, any
/// <c>EventArgs</c>-derived second parameter) are exempt. Lambdas are not reported.
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
        });
    }

    private static void AnalyzeMethod(SymbolAnalysisContext context, ModeSymbols symbols)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (IsAsyncVoidInService(method, symbols) && !method.Locations.IsDefaultOrEmpty)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.AsyncVoidInService, method.Locations[0], SymbolNames.Member(method)));
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

        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.AsyncVoidInService, syntax.Identifier.GetLocation(), method.Name));
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
