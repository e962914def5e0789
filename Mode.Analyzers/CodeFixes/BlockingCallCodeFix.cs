using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using Mode.Analyzers.Helpers;

namespace Mode.Analyzers.CodeFixes;

/// <summary>
/// MODE002: rewrites a blocking call into its awaited form.
/// <list type="bullet">
/// <item><c>Thread.Sleep(x)</c> → <c>await SleepAsync(x)</c> in a service (milliseconds become
/// <c>TimeSpan.FromMilliseconds(x)</c>), else <c>await Task.Delay(x, token)</c>.</item>
/// <item><c>t.Result</c>, <c>t.Wait()</c>, <c>t.GetAwaiter().GetResult()</c> → <c>await t</c>;
/// <c>t.Wait(token)</c> → <c>await t.WaitAsync(token)</c>.</item>
/// <item><c>Task.WaitAll(a, b)</c> as a statement → <c>await Task.WhenAll(a, b)</c>.</item>
/// <item>a synchronous call with an awaitable twin → <c>await …Async(…, token)</c>; this includes a
/// blocking helper of the user's with an <c>…Async</c> twin, and <c>x.Dispose()</c> →
/// <c>await x.DisposeAsync()</c>.</item>
/// <item><c>using</c> of an <c>IAsyncDisposable</c> → <c>await using</c>.</item>
/// </list>
/// <c>token</c> is the innermost <c>CancellationToken</c> parameter in scope (the hook's), and is
/// left out when there is none. Offered inside an <c>async</c> function outside a <c>lock</c>
/// statement, and in a method or local function that can be made async safely (see
/// <see cref="TryGetAwaitContext"/>): a hook that only returns completed tasks
/// (<c>return default;</c>), or a <c>void</c> <c>[Timer]</c>/<c>[Crontab]</c> method.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BlockingCallCodeFix))]
[Shared]
public sealed class BlockingCallCodeFix : CodeFixProvider
{
    private const string EquivalenceKey = DiagnosticIds.BlockingCallInAsyncHook + ".Await";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.BlockingCallInAsyncHook);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (diagnostic.Properties.GetValueOrDefault(BlockingCallProperties.Kind) == nameof(BlockingCallKind.SyncUsing))
            {
                RegisterAwaitUsing(context, root, model, diagnostic);
                continue;
            }

            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax node
                || !TryGetAwaitContext(node, model, context.CancellationToken, out var makeAsync)
                || !Enum.TryParse<BlockingCallKind>(diagnostic.Properties.GetValueOrDefault(BlockingCallProperties.Kind), out var kind))
            {
                continue;
            }

            var rewrite = Rewrite(node, kind, diagnostic.Properties, model, context.CancellationToken);
            if (rewrite is null)
            {
                continue;
            }

            var (title, awaited) = rewrite.Value;
            var replacement = SyntaxFactory.ParenthesizedExpression(SyntaxFactory.AwaitExpression(awaited.WithoutTrivia()))
                .WithAdditionalAnnotations(Simplifier.Annotation, Formatter.Annotation)
                .WithTriviaFrom(node);
            context.RegisterCodeFix(
                CodeAction.Create(title, ct => ReplaceAsync(context.Document, node, replacement, makeAsync, ct), EquivalenceKey),
                diagnostic);
        }
    }

    /// <summary><c>using var x = …;</c> / <c>using (…)</c> → <c>await using …</c>.</summary>
    private static void RegisterAwaitUsing(CodeFixContext context, SyntaxNode root, SemanticModel model, Diagnostic diagnostic)
    {
        var node = root.FindToken(diagnostic.Location.SourceSpan.Start).Parent;
        SyntaxNode? replacement = node switch
        {
            UsingStatementSyntax { AwaitKeyword.RawKind: 0 } statement => statement.WithAwaitKeyword(AwaitToken(statement.UsingKeyword)).WithUsingKeyword(statement.UsingKeyword.WithLeadingTrivia()),
            LocalDeclarationStatementSyntax { AwaitKeyword.RawKind: 0 } declaration => declaration.WithAwaitKeyword(AwaitToken(declaration.UsingKeyword)).WithUsingKeyword(declaration.UsingKeyword.WithLeadingTrivia()),
            _ => null,
        };
        if (node is null || replacement is null || !TryGetAwaitContext(node, model, context.CancellationToken, out var makeAsync))
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create("Use 'await using'", ct => ReplaceAsync(context.Document, node, replacement, makeAsync, ct), EquivalenceKey),
            diagnostic);
    }

    private static SyntaxToken AwaitToken(SyntaxToken usingKeyword) =>
        SyntaxFactory.Token(SyntaxKind.AwaitKeyword).WithLeadingTrivia(usingKeyword.LeadingTrivia).WithTrailingTrivia(SyntaxFactory.Space);

    private static (string Title, ExpressionSyntax Awaited)? Rewrite(
        ExpressionSyntax node,
        BlockingCallKind kind,
        ImmutableDictionary<string, string?> properties,
        SemanticModel model,
        CancellationToken cancellationToken)
    {
        var token = FindToken(node, model, cancellationToken);
        switch (kind)
        {
            case BlockingCallKind.Sleep when node is InvocationExpressionSyntax { ArgumentList.Arguments.Count: 1 } sleep:
                {
                    var delayArgument = sleep.ArgumentList.Arguments[0];
                    var delay = delayArgument.Expression.WithoutTrivia();
                    var isTimeSpan = model.GetTypeInfo(delayArgument.Expression, cancellationToken).ConvertedType?.Name == "TimeSpan";
                    if (properties.GetValueOrDefault(BlockingCallProperties.InService) == "true")
                    {
                        var span = isTimeSpan
                            ? delay
                            : SyntaxFactory.InvocationExpression(QualifiedName("global::System.TimeSpan.FromMilliseconds"), Arguments(delay));
                        return ("Use 'await SleepAsync(...)'", SyntaxFactory.InvocationExpression(SyntaxFactory.IdentifierName("SleepAsync"), Arguments(span)));
                    }

                    var taskDelay = QualifiedName("global::System.Threading.Tasks.Task.Delay");
                    return ("Use 'await Task.Delay(...)'", SyntaxFactory.InvocationExpression(taskDelay, Arguments(token is null ? [delay] : [delay, token])));
                }

            case BlockingCallKind.Result when node is MemberAccessExpressionSyntax resultAccess:
                return ("Await the task", resultAccess.Expression.WithoutTrivia());

            case BlockingCallKind.Wait when node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax waitAccess } wait:
                if (wait.ArgumentList.Arguments.Count == 0)
                {
                    return ("Await the task", waitAccess.Expression.WithoutTrivia());
                }

                if (wait.ArgumentList.Arguments.Count == 1
                    && model.GetTypeInfo(wait.ArgumentList.Arguments[0].Expression, cancellationToken).Type?.Name == nameof(CancellationToken))
                {
                    return ("Await the task", SyntaxFactory.InvocationExpression(
                        waitAccess.WithName(SyntaxFactory.IdentifierName("WaitAsync")).WithoutTrivia(),
                        wait.ArgumentList.WithoutTrivia()));
                }

                return null;

            case BlockingCallKind.WaitAll when node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax waitAllAccess } waitAll
                && node.Parent is ExpressionStatementSyntax
                && model.GetSymbolInfo(waitAll, cancellationToken).Symbol is IMethodSymbol { Parameters.Length: 1 }:
                return ("Use 'await Task.WhenAll(...)'", SyntaxFactory.InvocationExpression(
                    waitAllAccess.WithName(SyntaxFactory.IdentifierName("WhenAll")).WithoutTrivia(),
                    waitAll.ArgumentList.WithoutTrivia()));

            case BlockingCallKind.GetResult when node is InvocationExpressionSyntax
            {
                Expression: MemberAccessExpressionSyntax { Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax getAwaiter } },
            }:
                return ("Await the task", getAwaiter.Expression.WithoutTrivia());

            case BlockingCallKind.AsyncTwin or BlockingCallKind.BlockingWait or BlockingCallKind.SyncDispose
                when properties.GetValueOrDefault(BlockingCallProperties.Twin) is { } twin && node is InvocationExpressionSyntax call:
                {
                    var renamed = Rename(call.Expression, twin);
                    if (renamed is null)
                    {
                        return null;
                    }

                    var arguments = call.ArgumentList.WithoutTrivia();
                    if (token is not null
                        && properties.GetValueOrDefault(BlockingCallProperties.TwinTakesToken) == "true"
                        && !arguments.Arguments.Any(a => a.NameColon is not null))
                    {
                        arguments = arguments.AddArguments(SyntaxFactory.Argument(token));
                    }

                    return ($"Use 'await {twin}(...)'", SyntaxFactory.InvocationExpression(renamed.WithoutTrivia(), arguments));
                }

            default:
                return null;
        }
    }

    private static ExpressionSyntax QualifiedName(string name) =>
        SyntaxFactory.ParseExpression(name).WithAdditionalAnnotations(Simplifier.Annotation);

    private static ArgumentListSyntax Arguments(params ExpressionSyntax[] arguments) =>
        SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(arguments.Select(SyntaxFactory.Argument)));

    private static ExpressionSyntax? Rename(ExpressionSyntax expression, string name) => expression switch
    {
        MemberAccessExpressionSyntax access => access.WithName(RenameSimple(access.Name, name)),
        SimpleNameSyntax simple => RenameSimple(simple, name),
        MemberBindingExpressionSyntax => null, // a?.Read(): await a?.ReadAsync() could await null
        _ => null,
    };

    private static SimpleNameSyntax RenameSimple(SimpleNameSyntax name, string newName) => name switch
    {
        GenericNameSyntax generic => generic.WithIdentifier(SyntaxFactory.Identifier(newName).WithTriviaFrom(generic.Identifier)),
        _ => SyntaxFactory.IdentifierName(SyntaxFactory.Identifier(newName).WithTriviaFrom(name.GetFirstToken())),
    };

    /// <summary>The innermost <c>CancellationToken</c> parameter of the enclosing functions.</summary>
    private static IdentifierNameSyntax? FindToken(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (var ancestor in node.Ancestors())
        {
            var symbol = ancestor switch
            {
                AnonymousFunctionExpressionSyntax lambda => model.GetSymbolInfo(lambda, cancellationToken).Symbol as IMethodSymbol,
                LocalFunctionStatementSyntax or BaseMethodDeclarationSyntax => model.GetDeclaredSymbol(ancestor, cancellationToken) as IMethodSymbol,
                _ => null,
            };
            var parameter = symbol?.Parameters.FirstOrDefault(p =>
                p.Type.Name == nameof(CancellationToken) && p.Type.ContainingNamespace?.ToDisplayString() == "System.Threading");
            if (parameter is not null)
            {
                return SyntaxFactory.IdentifierName(parameter.Name);
            }

            if (ancestor is BaseMethodDeclarationSyntax or TypeDeclarationSyntax)
            {
                break;
            }
        }

        return null;
    }

    /// <summary>
    /// Whether <c>await</c> can be used at <paramref name="node"/>: inside an async function, outside
    /// <c>lock</c> and query expressions. <paramref name="makeAsync"/> is set when the enclosing method
    /// or local function is not async yet but can be made so: it returns Task or ValueTask and every
    /// <c>return</c> gives an already completed task (<c>default</c>, <c>Task.CompletedTask</c>, ...),
    /// or it is a <c>void</c> <c>[Timer]</c>/<c>[Crontab]</c> method (which becomes <c>async Task</c>).
    /// </summary>
    private static bool TryGetAwaitContext(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken, out SyntaxNode? makeAsync)
    {
        makeAsync = null;
        foreach (var ancestor in node.Ancestors())
        {
            switch (ancestor)
            {
                case LockStatementSyntax:
                case QueryExpressionSyntax:
                    return false;
                case AnonymousFunctionExpressionSyntax lambda:
                    return lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword);
                case LocalFunctionStatementSyntax local:
                    if (local.Modifiers.Any(SyntaxKind.AsyncKeyword))
                    {
                        return true;
                    }

                    makeAsync = local;
                    return CanMakeAsync(local, local.Body, local.ExpressionBody, model, cancellationToken);
                case MethodDeclarationSyntax method:
                    if (method.Modifiers.Any(SyntaxKind.AsyncKeyword))
                    {
                        return true;
                    }

                    makeAsync = method;
                    return CanMakeAsync(method, method.Body, method.ExpressionBody, model, cancellationToken);
                case MemberDeclarationSyntax:
                    return false;
            }
        }

        return false;
    }

    private static bool CanMakeAsync(SyntaxNode function, BlockSyntax? body, ArrowExpressionClauseSyntax? expressionBody, SemanticModel model, CancellationToken cancellationToken)
    {
        if (model.GetDeclaredSymbol(function, cancellationToken) is not IMethodSymbol method || method.IsAsync)
        {
            return false;
        }

        if (method.ReturnsVoid)
        {
            // Only a background method may change void to Task: nobody else calls it.
            return method.GetAttributes().Any(a =>
                a.AttributeClass is { Name: "TimerAttribute" or "CrontabAttribute" } attribute
                && attribute.ContainingNamespace?.ToDisplayString() == "Mode");
        }

        var returnType = method.ReturnType;
        if (returnType is not INamedTypeSymbol { IsGenericType: false, Name: "Task" or "ValueTask" }
            || returnType.ContainingNamespace?.ToDisplayString() != "System.Threading.Tasks"
            || body is null
            || expressionBody is not null)
        {
            return false;
        }

        return ReturnsOf(body).All(r => r.Expression is null || IsCompletedTask(r.Expression));
    }

    private static IEnumerable<ReturnStatementSyntax> ReturnsOf(SyntaxNode body) =>
        body.DescendantNodes(n => n == body || n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
            .OfType<ReturnStatementSyntax>();

    /// <summary><c>default</c>, <c>default(ValueTask)</c>, <c>new()</c>, <c>new ValueTask()</c>, <c>Task.CompletedTask</c>, <c>ValueTask.CompletedTask</c>.</summary>
    private static bool IsCompletedTask(ExpressionSyntax expression) => expression switch
    {
        LiteralExpressionSyntax literal => literal.IsKind(SyntaxKind.DefaultLiteralExpression),
        DefaultExpressionSyntax => true,
        ImplicitObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: 0, Initializer: null } => true,
        ObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: 0, Initializer: null, Type: var type } => type.ToString().EndsWith("ValueTask", StringComparison.Ordinal),
        ObjectCreationExpressionSyntax { ArgumentList: null, Initializer: null, Type: var type } => type.ToString().EndsWith("ValueTask", StringComparison.Ordinal),
        MemberAccessExpressionSyntax { Name.Identifier.ValueText: "CompletedTask" } => true,
        ParenthesizedExpressionSyntax parenthesized => IsCompletedTask(parenthesized.Expression),
        _ => false,
    };

    private static async Task<Document> ReplaceAsync(
        Document document,
        SyntaxNode node,
        SyntaxNode replacement,
        SyntaxNode? makeAsync,
        CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        if (makeAsync is null)
        {
            return document.WithSyntaxRoot(root.ReplaceNode(node, replacement));
        }

        var function = makeAsync.ReplaceNode(node, replacement);
        function = function switch
        {
            MethodDeclarationSyntax method => MakeAsync(method, method.Modifiers, method.ReturnType, method.Body, (m, mods, type, body) => m.WithModifiers(mods).WithReturnType(type).WithBody(body)),
            LocalFunctionStatementSyntax local => MakeAsync(local, local.Modifiers, local.ReturnType, local.Body, (l, mods, type, body) => l.WithModifiers(mods).WithReturnType(type).WithBody(body)),
            _ => function,
        };
        return document.WithSyntaxRoot(root.ReplaceNode(makeAsync, function));
    }

    /// <summary>
    /// Adds <c>async</c>; <c>void</c> becomes <c>Task</c>; <c>return default;</c> and the like become
    /// <c>return;</c>, and a <c>return;</c> ending the body goes away.
    /// </summary>
    private static T MakeAsync<T>(
        T function,
        SyntaxTokenList modifiers,
        TypeSyntax returnType,
        BlockSyntax? body,
        Func<T, SyntaxTokenList, TypeSyntax, BlockSyntax?, T> update)
        where T : SyntaxNode
    {
        if (body is not null)
        {
            body = body.ReplaceNodes(
                ReturnsOf(body).Where(r => r.Expression is not null),
                (_, current) => SyntaxFactory.ReturnStatement().WithTriviaFrom(current));
            if (body.Statements.LastOrDefault() is ReturnStatementSyntax { Expression: null } last)
            {
                body = body.WithStatements(body.Statements.Remove(last));
            }
        }

        var asyncKeyword = SyntaxFactory.Token(SyntaxKind.AsyncKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        if (modifiers.Count == 0)
        {
            asyncKeyword = asyncKeyword.WithLeadingTrivia(returnType.GetLeadingTrivia());
            returnType = returnType.WithoutLeadingTrivia();
        }

        if (returnType is PredefinedTypeSyntax predefined && predefined.Keyword.IsKind(SyntaxKind.VoidKeyword))
        {
            returnType = SyntaxFactory.ParseTypeName("global::System.Threading.Tasks.Task")
                .WithAdditionalAnnotations(Simplifier.Annotation)
                .WithTriviaFrom(returnType);
        }

        return update(function, modifiers.Add(asyncKeyword), returnType, body);
    }
}
