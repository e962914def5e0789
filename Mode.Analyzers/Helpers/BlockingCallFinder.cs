using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Mode.Analyzers.Helpers;

/// <summary>A blocking call found by <see cref="BlockingCallFinder"/>.</summary>
/// <param name="Operation">The call (or <c>using</c>) to report.</param>
/// <param name="Kind">What the code fix may do with it.</param>
/// <param name="What">How the message names the call: <c>Thread.Sleep</c>.</param>
/// <param name="Advice">What the message suggests instead.</param>
/// <param name="Twin">The awaitable twin the code fix calls instead, if any.</param>
/// <param name="TwinTakesToken">Whether <paramref name="Twin"/> takes one more parameter, a <c>CancellationToken</c>.</param>
/// <param name="Helper">For a call of a blocking helper: the helper.</param>
internal readonly record struct BlockingFinding(
    IOperation Operation,
    BlockingCallKind Kind,
    string What,
    string Advice,
    IMethodSymbol? Twin = null,
    bool TwinTakesToken = false,
    IMethodSymbol? Helper = null)
{
    /// <summary>Where the diagnostic goes: the call, or the <c>using</c> keyword.</summary>
    public Location Location => Operation.Syntax switch
    {
        UsingStatementSyntax statement => statement.UsingKeyword.GetLocation(),
        LocalDeclarationStatementSyntax declaration => declaration.UsingKeyword.GetLocation(),
        VariableDeclarationSyntax { Parent: LocalDeclarationStatementSyntax declaration } => declaration.UsingKeyword.GetLocation(),
        _ => Operation.Syntax.GetLocation(),
    };
}

/// <summary>
/// Finds the blocking calls of one operation block, in source order: the rows of
/// <see cref="BlockingApiCatalog"/> (with their conditions), the users' <c>mode_blocking_apis</c>,
/// synchronous methods with an awaitable twin, a synchronous <c>Dispose</c>/<c>using</c> of an
/// <c>IAsyncDisposable</c>, and — in a hook — calls of helpers that block
/// (<see cref="BlockingHelperSummaries"/>).
/// </summary>
/// <remarks>
/// <para>In a hook, lambdas and local functions are searched too, except a lambda handed to
/// <c>Task.Run</c>, <c>TaskFactory.StartNew</c>, <c>ThreadPool.QueueUserWorkItem</c> or
/// <c>new Thread</c>. In a helper (a synchronous method a hook calls), lambdas and local functions
/// are left out: they run only if something calls them.</para>
/// <para>Not reported, because they cannot block: a wait with a zero timeout (<c>Wait(0)</c>,
/// <c>WaitOne(TimeSpan.Zero)</c>, …); <c>.Result</c>, <c>.Wait()</c> or <c>GetResult()</c> on a task
/// already complete — awaited earlier in the same function or an enclosing one (directly, through
/// <c>ConfigureAwait</c>/<c>WaitAsync</c>, or as an element of an awaited <c>Task.WhenAll</c>) and not
/// reassigned since, checked in source order; the antecedent inside its <c>ContinueWith</c>
/// continuation; guarded by <c>if (t.IsCompleted …)</c>; or made by
/// <c>Task.FromResult</c>/<c>Task.CompletedTask</c> (directly or through the local it was stored in).</para>
/// </remarks>
internal sealed class BlockingCallFinder
{
    private readonly BlockingSymbols _known;
    private readonly IOperation _block;
    private readonly INamedTypeSymbol _within;
    private readonly BlockingHelperSummaries? _helpers;
    private readonly List<(IMethodSymbol Method, IOperation Call)>? _helperCalls;
    private List<FlowEvent>? _events;
    private List<(int Position, IOperation? Function)>? _awaits;

    /// <summary>A finder for a hook's block: helper calls are resolved through <paramref name="helpers"/>.</summary>
    public BlockingCallFinder(BlockingSymbols known, IOperation block, INamedTypeSymbol within, BlockingHelperSummaries helpers)
    {
        _known = known;
        _block = block;
        _within = within;
        _helpers = helpers;
    }

    /// <summary>A finder for a helper's body: calls of further helpers are only listed in <paramref name="helperCalls"/>.</summary>
    public BlockingCallFinder(BlockingSymbols known, IOperation block, INamedTypeSymbol within, List<(IMethodSymbol Method, IOperation Call)> helperCalls)
    {
        _known = known;
        _block = block;
        _within = within;
        _helperCalls = helperCalls;
    }

    private bool InHelper => _helperCalls is not null;

    private readonly record struct FlowEvent(ISymbol Symbol, int Position, bool Completes, IOperation? Function);

    public IEnumerable<BlockingFinding> Find(CancellationToken cancellationToken)
    {
        foreach (var operation in InHelper ? OutsideFunctions(_block) : _block.DescendantsAndSelf())
        {
            cancellationToken.ThrowIfCancellationRequested();
            BlockingFinding? finding = operation switch
            {
                IInvocationOperation invocation => ClassifyInvocation(invocation, cancellationToken),
                IPropertyReferenceOperation property => ClassifyProperty(property),
                IUsingOperation { IsAsynchronous: false } statement => ClassifyUsing(statement, statement.Resources),
                IUsingDeclarationOperation { IsAsynchronous: false } declaration => ClassifyUsing(declaration, declaration.DeclarationGroup),
                _ => null,
            };
            if (finding is { } found && (InHelper || !IsOffloaded(operation)))
            {
                yield return found;
            }
        }
    }

    /// <summary>The operations of a helper's body in source order, lambdas and local functions left out.</summary>
    private static IEnumerable<IOperation> OutsideFunctions(IOperation root)
    {
        var stack = new Stack<IOperation>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var operation = stack.Pop();
            yield return operation;
            var children = operation.ChildOperations.Reverse().Where(c => c is not (IAnonymousFunctionOperation or ILocalFunctionOperation));
            foreach (var child in children)
            {
                stack.Push(child);
            }
        }
    }

    /// <summary>Whether a synchronous method of this compilation is one a hook's call is followed into.</summary>
    public static bool IsHelperCandidate(IMethodSymbol method, BlockingSymbols known) =>
        method.MethodKind == MethodKind.Ordinary
        && !method.IsAsync
        && !method.IsAbstract
        && !method.IsExtern
        && !known.Symbols.IsTaskLike(method.ReturnType)
        && SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, known.Compilation.Assembly)
        && !method.DeclaringSyntaxReferences.IsEmpty;

    private BlockingFinding? ClassifyInvocation(IInvocationOperation invocation, CancellationToken cancellationToken)
    {
        var method = invocation.TargetMethod;
        var what = method.ContainingType.Name + "." + method.Name;

        if (_known.IsUserListed(method))
        {
            return new(invocation, BlockingCallKind.UserListed, what, "it is listed in mode_blocking_apis; use an awaitable alternative");
        }

        if (_known.Find(method, invocation.Instance?.Type) is { } entry)
        {
            return ClassifyCatalogued(invocation, entry, what);
        }

        if (method.Name == "Dispose" && method.Parameters.IsEmpty && _known.DisposesAsynchronously(invocation.Instance?.Type))
        {
            var disposeAsync = FindDisposeAsync(invocation.Instance!.Type!);
            return new(invocation, BlockingCallKind.SyncDispose, invocation.Instance.Type!.Name + ".Dispose", "await DisposeAsync instead (or 'await using')", disposeAsync);
        }

        var twin = IsExcludedFromTwinRule(invocation) ? null : _known.Twins.Find(method);
        if (twin is not null && !_known.Compilation.IsSymbolAccessibleWithin(twin, _within))
        {
            twin = null;
        }

        var helper = method.OriginalDefinition;
        var isHelper = IsHelperCandidate(helper, _known);
        if (InHelper)
        {
            if (twin is not null)
            {
                return new(invocation, BlockingCallKind.AsyncTwin, what, $"await '{twin.Name}' instead", twin, TakesToken(twin, method));
            }

            if (isHelper)
            {
                _helperCalls!.Add((helper, invocation));
            }

            return null;
        }

        var blocks = isHelper && _helpers!.Get(helper, cancellationToken).Blocks;
        if (twin is not null)
        {
            return new(invocation, BlockingCallKind.AsyncTwin, what, $"await '{twin.Name}' instead", twin, TakesToken(twin, method), blocks ? helper : null);
        }

        return blocks
            ? new(invocation, BlockingCallKind.BlockingHelper, what, "make it asynchronous and await it, or move the call into Task.Run", Helper: helper)
            : null;
    }

    private BlockingFinding? ClassifyCatalogued(IInvocationOperation invocation, BlockingApi entry, string what)
    {
        var method = invocation.TargetMethod;
        switch (entry.When)
        {
            case BlockingCondition.UnlessZeroTimeout when HasZeroTimeout(invocation):
            case BlockingCondition.WithNonZeroTimeout when !HasTimeoutParameter(method) || HasZeroTimeout(invocation):
            case BlockingCondition.InLoop when !IsInLoop(invocation):
                return null;
        }

        switch (entry.Kind)
        {
            case BlockingCallKind.Wait when method.IsStatic || IsKnownComplete(invocation.Instance, invocation):
            case BlockingCallKind.WaitAll or BlockingCallKind.WaitAny when !method.IsStatic:
            case BlockingCallKind.GetResult when IsKnownComplete(AwaitedTaskOfGetResult(invocation), invocation):
            case BlockingCallKind.LockAcrossAwait when !IsFollowedByAwait(invocation):
                return null;
            case BlockingCallKind.Wait:
                return new(invocation, entry.Kind, "Task.Wait", entry.Advice);
            case BlockingCallKind.GetResult:
                return new(invocation, entry.Kind, "GetAwaiter().GetResult()", entry.Advice);
        }

        var twin = entry.Kind is BlockingCallKind.BlockingWait or BlockingCallKind.ConsoleRead ? _known.Twins.Find(method) : null;
        if (twin is not null && _known.Compilation.IsSymbolAccessibleWithin(twin, _within))
        {
            return new(invocation, BlockingCallKind.BlockingWait, what, $"await '{twin.Name}' instead", twin, TakesToken(twin, method));
        }

        return new(invocation, entry.Kind, what, entry.Advice);
    }

    private BlockingFinding? ClassifyProperty(IPropertyReferenceOperation property)
    {
        var what = property.Property.ContainingType.Name + "." + property.Property.Name;
        if (_known.IsUserListed(property.Property))
        {
            return new(property, BlockingCallKind.UserListed, what, "it is listed in mode_blocking_apis; use an awaitable alternative");
        }

        return _known.Find(property.Property, property.Instance?.Type) is { Kind: BlockingCallKind.Result } entry && !IsKnownComplete(property.Instance, property)
            ? new(property, BlockingCallKind.Result, what, entry.Advice)
            : null;
    }

    private BlockingFinding? ClassifyUsing(IOperation statement, IOperation resources)
    {
        IEnumerable<ITypeSymbol?> types = resources is IVariableDeclarationGroupOperation group
            ? group.Declarations.SelectMany(d => d.Declarators).Select(d => (ITypeSymbol?)d.Symbol.Type)
            : new[] { Unwrap(resources)?.Type };
        foreach (var type in types)
        {
            if (_known.DisposesAsynchronously(type))
            {
                return new(statement, BlockingCallKind.SyncUsing, type!.Name + ".Dispose", "use 'await using' instead");
            }
        }

        return null;
    }

    private static IMethodSymbol? FindDisposeAsync(ITypeSymbol type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            foreach (var member in current.GetMembers("DisposeAsync"))
            {
                if (member is IMethodSymbol { Parameters.IsEmpty: true, IsStatic: false, DeclaredAccessibility: Accessibility.Public } disposeAsync)
                {
                    return disposeAsync;
                }
            }
        }

        return null;
    }

    private static bool TakesToken(IMethodSymbol twin, IMethodSymbol method) => twin.Parameters.Length == method.Parameters.Length + 1;

    private bool IsExcludedFromTwinRule(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        return BlockingSymbols.Is(method.ContainingType, _known.CancellationTokenSource) // Cancel() runs callbacks; CancelAsync() is not "the non-blocking form"
            || method.Name == "Dispose" // the Dispose rule above decides
            || BlockingSymbols.DerivesFromAny(invocation.Instance?.Type, _known.InMemoryTypes);
    }

    /// <summary>A timeout argument (a parameter named <c>…timeout…</c> or <c>milliseconds</c>) that is zero.</summary>
    private bool HasZeroTimeout(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { } parameter && IsTimeoutParameter(parameter) && IsZero(argument.Value))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasTimeoutParameter(IMethodSymbol method) => method.Parameters.Any(IsTimeoutParameter);

    private static bool IsTimeoutParameter(IParameterSymbol parameter) =>
        parameter.Name.IndexOf("timeout", StringComparison.OrdinalIgnoreCase) >= 0
        || parameter.Name is "milliseconds" or "microSeconds";

    private bool IsZero(IOperation value)
    {
        value = Unwrap(value)!;
        if (value.ConstantValue is { HasValue: true, Value: { } constant })
        {
            return constant is int or long or uint && Convert.ToInt64(constant, System.Globalization.CultureInfo.InvariantCulture) == 0;
        }

        return value switch
        {
            IFieldReferenceOperation { Field.Name: "Zero" } zero => BlockingSymbols.Is(zero.Field.ContainingType, _known.TimeSpan),
            IDefaultValueOperation or IObjectCreationOperation { Arguments.IsEmpty: true } => BlockingSymbols.Is(value.Type, _known.TimeSpan),
            IInvocationOperation { TargetMethod.IsStatic: true, Arguments.Length: 1 } from => BlockingSymbols.Is(from.TargetMethod.ContainingType, _known.TimeSpan)
                && from.TargetMethod.Name.StartsWith("From", StringComparison.Ordinal)
                && Unwrap(from.Arguments[0].Value)?.ConstantValue is { HasValue: true, Value: { } n }
                && Convert.ToDouble(n, System.Globalization.CultureInfo.InvariantCulture) == 0,
            _ => false,
        };
    }

    private static bool IsInLoop(IOperation operation)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is ILoopOperation)
            {
                return true;
            }

            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>The task whose awaiter <c>GetResult</c> is called on: <c>t</c> in <c>t.ConfigureAwait(false).GetAwaiter().GetResult()</c>.</summary>
    private static IOperation? AwaitedTaskOfGetResult(IInvocationOperation getResult)
    {
        var awaiter = Unwrap(getResult.Instance);
        return awaiter is IInvocationOperation { TargetMethod.Name: "GetAwaiter" } getAwaiter
            ? UnwrapAwaitable(getAwaiter.Instance)
            : null;
    }

    private bool IsKnownComplete(IOperation? task, IOperation access)
    {
        task = UnwrapAwaitable(task);
        if (IsCompletedTaskExpression(task))
        {
            return true;
        }

        var symbol = ReferencedSymbol(task);
        if (symbol is null)
        {
            return false;
        }

        if (IsGuardedByIsCompleted(symbol, access) || IsInContinuationOf(symbol, access))
        {
            return true;
        }

        _events ??= CollectEvents();
        var function = ContainingFunction(access);
        var position = access.Syntax.SpanStart;
        FlowEvent? last = null;
        foreach (var flowEvent in _events)
        {
            if (flowEvent.Position > position)
            {
                break;
            }

            if (SymbolEqualityComparer.Default.Equals(flowEvent.Symbol, symbol) && IsSameOrEnclosing(flowEvent.Function, function))
            {
                last = flowEvent;
            }
        }

        return last is { Completes: true };
    }

    private static bool IsCompletedTaskExpression(IOperation? task) =>
        UnwrapAwaitable(task) is IPropertyReferenceOperation { Property.Name: "CompletedTask", Property.IsStatic: true }
            or IInvocationOperation { TargetMethod.IsStatic: true, TargetMethod.Name: "FromResult" or "FromException" or "FromCanceled" };

    /// <summary>
    /// Inside a <c>ContinueWith</c> continuation, its antecedent is complete: the continuation's
    /// first parameter, and the task <c>ContinueWith</c> was called on.
    /// </summary>
    private static bool IsInContinuationOf(ISymbol symbol, IOperation access)
    {
        for (var function = ContainingFunction(access); function is not null; function = ContainingFunction(function))
        {
            if (function is not IAnonymousFunctionOperation lambda)
            {
                continue;
            }

            var parent = lambda.Parent;
            while (parent is IDelegateCreationOperation or IConversionOperation or IParenthesizedOperation)
            {
                parent = parent.Parent;
            }

            if (parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "ContinueWith" } continueWith }
                && (SymbolEqualityComparer.Default.Equals(ReferencedSymbol(continueWith.Instance), symbol)
                    || (lambda.Symbol.Parameters.Length > 0 && SymbolEqualityComparer.Default.Equals(lambda.Symbol.Parameters[0], symbol))))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsGuardedByIsCompleted(ISymbol symbol, IOperation access)
    {
        var child = access;
        for (var parent = access.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            if (parent is IConditionalOperation conditional && conditional.WhenTrue == child && ConditionChecksCompleted(conditional.Condition, symbol))
            {
                return true;
            }

            if (parent is IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } and
                && and.RightOperand == child
                && ConditionChecksCompleted(and.LeftOperand, symbol))
            {
                return true;
            }

            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return false;
            }
        }

        return false;
    }

    private static bool ConditionChecksCompleted(IOperation condition, ISymbol symbol)
    {
        condition = Unwrap(condition)!;
        if (condition is IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } and)
        {
            return ConditionChecksCompleted(and.LeftOperand, symbol) || ConditionChecksCompleted(and.RightOperand, symbol);
        }

        return condition is IPropertyReferenceOperation { Property.Name: "IsCompleted" or "IsCompletedSuccessfully" } check
            && SymbolEqualityComparer.Default.Equals(ReferencedSymbol(check.Instance), symbol);
    }

    private List<FlowEvent> CollectEvents()
    {
        var events = new List<FlowEvent>();
        foreach (var operation in _block.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IAwaitOperation awaitOperation:
                    var awaited = UnwrapAwaitable(awaitOperation.Operation);
                    var end = awaitOperation.Syntax.Span.End;
                    var function = ContainingFunction(awaitOperation);
                    if (ReferencedSymbol(awaited) is { } symbol)
                    {
                        events.Add(new FlowEvent(symbol, end, true, function));
                    }
                    else if (awaited is IInvocationOperation { TargetMethod.Name: "WhenAll", TargetMethod.IsStatic: true } whenAll
                        && BlockingSymbols.Is(whenAll.TargetMethod.ContainingType, _known.Symbols.Task))
                    {
                        foreach (var element in WhenAllElements(whenAll))
                        {
                            if (ReferencedSymbol(element) is { } elementSymbol)
                            {
                                events.Add(new FlowEvent(elementSymbol, end, true, function));
                            }
                        }
                    }

                    break;
                case ISimpleAssignmentOperation assignment when ReferencedSymbol(assignment.Target) is { } target:
                    events.Add(new FlowEvent(target, assignment.Syntax.Span.End, IsCompletedTaskExpression(assignment.Value), ContainingFunction(assignment)));
                    break;
                case IVariableDeclaratorOperation { Initializer.Value: { } value } declarator:
                    events.Add(new FlowEvent(declarator.Symbol, declarator.Syntax.Span.End, IsCompletedTaskExpression(value), ContainingFunction(declarator)));
                    break;
            }
        }

        events.Sort((a, b) => a.Position.CompareTo(b.Position));
        return events;
    }

    private static IEnumerable<IOperation> WhenAllElements(IInvocationOperation whenAll)
    {
        foreach (var argument in whenAll.Arguments)
        {
            var value = Unwrap(argument.Value);
            switch (value)
            {
                case IArrayCreationOperation { Initializer: { } initializer }:
                    foreach (var element in initializer.ElementValues)
                    {
                        yield return element;
                    }

                    break;
                case ICollectionExpressionOperation collection:
                    foreach (var element in collection.Elements)
                    {
                        yield return element;
                    }

                    break;
                case not null:
                    yield return value;
                    break;
            }
        }
    }

    /// <summary>
    /// Whether an await comes after <paramref name="enter"/> and before the next <c>Exit</c> on the
    /// same type (or anywhere after it when there is none), in source order, in the same function.
    /// </summary>
    private bool IsFollowedByAwait(IInvocationOperation enter)
    {
        if (_awaits is null)
        {
            _awaits = [];
            foreach (var operation in _block.DescendantsAndSelf())
            {
                if (operation is IAwaitOperation
                    || operation is IUsingOperation { IsAsynchronous: true }
                    || operation is IForEachLoopOperation { IsAsynchronous: true }
                    || operation is IUsingDeclarationOperation { IsAsynchronous: true })
                {
                    _awaits.Add((operation.Syntax.SpanStart, ContainingFunction(operation)));
                }
            }
        }

        if (_awaits.Count == 0)
        {
            return false;
        }

        var function = ContainingFunction(enter);
        var start = enter.Syntax.Span.End;
        var end = int.MaxValue;
        foreach (var operation in _block.DescendantsAndSelf())
        {
            if (operation is IInvocationOperation { TargetMethod.Name: "Exit" } exit
                && SymbolEqualityComparer.Default.Equals(exit.TargetMethod.ContainingType, enter.TargetMethod.ContainingType)
                && exit.Syntax.SpanStart >= start
                && exit.Syntax.SpanStart < end
                && ContainingFunction(exit) == function)
            {
                end = exit.Syntax.SpanStart;
            }
        }

        return _awaits.Any(a => a.Position >= start && a.Position < end && a.Function == function);
    }

    /// <summary>Inside a lambda given to Task.Run, TaskFactory.StartNew, ThreadPool.QueueUserWorkItem or new Thread.</summary>
    private bool IsOffloaded(IOperation operation)
    {
        for (var function = ContainingFunction(operation); function is not null; function = ContainingFunction(function))
        {
            if (function is not IAnonymousFunctionOperation)
            {
                continue;
            }

            var parent = function.Parent;
            while (parent is IDelegateCreationOperation or IConversionOperation or IParenthesizedOperation)
            {
                parent = parent.Parent;
            }

            if (parent is not IArgumentOperation argument)
            {
                continue;
            }

            switch (argument.Parent)
            {
                case IInvocationOperation invocation:
                    var target = invocation.TargetMethod;
                    if ((BlockingSymbols.Is(target.ContainingType, _known.Symbols.Task) && target.Name == "Run")
                        || ((BlockingSymbols.Is(target.ContainingType, _known.TaskFactory) || BlockingSymbols.Is(target.ContainingType, _known.TaskFactoryOfT)) && target.Name == "StartNew")
                        || (BlockingSymbols.Is(target.ContainingType, _known.ThreadPool) && target.Name.EndsWith("QueueUserWorkItem", StringComparison.Ordinal)))
                    {
                        return true;
                    }

                    break;
                case IObjectCreationOperation creation when BlockingSymbols.Is(creation.Type, _known.Thread):
                    return true;
            }
        }

        return false;
    }

    public static IOperation? ContainingFunction(IOperation operation)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return parent;
            }
        }

        return null;
    }

    private static bool IsSameOrEnclosing(IOperation? candidate, IOperation? function)
    {
        for (var current = function; ; current = ContainingFunction(current))
        {
            if (current == candidate)
            {
                return true;
            }

            if (current is null)
            {
                return false;
            }
        }
    }

    private static ISymbol? ReferencedSymbol(IOperation? operation) => Unwrap(operation) switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        IFieldReferenceOperation field when field.Instance is null or IInstanceReferenceOperation => field.Field,
        IPropertyReferenceOperation property when property.Arguments.IsEmpty && property.Instance is null or IInstanceReferenceOperation => property.Property,
        _ => null,
    };

    /// <summary>Strips conversions, parentheses and <c>ConfigureAwait(...)</c>/<c>WaitAsync(...)</c>.</summary>
    private static IOperation? UnwrapAwaitable(IOperation? operation)
    {
        operation = Unwrap(operation);
        while (operation is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" or "WaitAsync", Instance: { } instance })
        {
            operation = Unwrap(instance);
        }

        return operation;
    }

    private static IOperation? Unwrap(IOperation? operation)
    {
        while (operation is IConversionOperation or IParenthesizedOperation)
        {
            operation = operation is IConversionOperation conversion ? conversion.Operand : ((IParenthesizedOperation)operation).Operand;
        }

        return operation;
    }
}
