namespace Lakehouse.Core.Assets;

/// <summary>Finds the dependency cycles of a graph, one readable path per strongly connected component.</summary>
internal static class DependencyCycles
{
    /// <summary>Each cycle as the path <c>a, b, c, a</c> where each key depends on the next; starts at the component's smallest key.</summary>
    public static IReadOnlyList<IReadOnlyList<AssetKey>> Find(IReadOnlyDictionary<AssetKey, IReadOnlyList<AssetKey>> parents)
    {
        var cycles = new List<IReadOnlyList<AssetKey>>();
        foreach (var component in StronglyConnected(parents))
        {
            var start = component.Min()!;
            if (component.Count == 1 && !parents[start].Contains(start)) continue;
            cycles.Add(ShortestPathBack(start, component.ToHashSet(), parents));
        }
        return cycles.OrderBy(c => c[0]).ToList();
    }

    // Breadth-first inside the component gives the shortest way back to the start, which reads best in an error message.
    private static IReadOnlyList<AssetKey> ShortestPathBack(AssetKey start, HashSet<AssetKey> component, IReadOnlyDictionary<AssetKey, IReadOnlyList<AssetKey>> parents)
    {
        var cameFrom = new Dictionary<AssetKey, AssetKey>();
        var queue = new Queue<AssetKey>();
        queue.Enqueue(start);
        while (queue.Count > 0)
        {
            var current = queue.Dequeue();
            foreach (var next in parents[current].Where(component.Contains).Order())
            {
                if (next == start)
                {
                    var path = new List<AssetKey> { start };
                    for (var k = current; k != start; k = cameFrom[k]) path.Add(k);
                    path.Add(start);
                    path.Reverse(1, path.Count - 2);
                    return path;
                }
                if (cameFrom.TryAdd(next, current)) queue.Enqueue(next);
            }
        }
        throw new InvalidOperationException($"No cycle through {start} although it is in a strongly connected component.");
    }

    // Tarjan's algorithm, iterative so that deep graphs cannot overflow the stack.
    private static List<List<AssetKey>> StronglyConnected(IReadOnlyDictionary<AssetKey, IReadOnlyList<AssetKey>> parents)
    {
        var index = new Dictionary<AssetKey, int>();
        var low = new Dictionary<AssetKey, int>();
        var onStack = new HashSet<AssetKey>();
        var stack = new Stack<AssetKey>();
        var result = new List<List<AssetKey>>();
        foreach (var root in parents.Keys.Order())
        {
            if (index.ContainsKey(root)) continue;
            var work = new Stack<(AssetKey Node, int Next)>();
            work.Push((root, 0));
            index[root] = low[root] = index.Count;
            stack.Push(root);
            onStack.Add(root);
            while (work.Count > 0)
            {
                var (node, next) = work.Pop();
                var edges = parents[node];
                if (next < edges.Count)
                {
                    work.Push((node, next + 1));
                    var child = edges[next];
                    if (!index.ContainsKey(child))
                    {
                        index[child] = low[child] = index.Count;
                        stack.Push(child);
                        onStack.Add(child);
                        work.Push((child, 0));
                    }
                    else if (onStack.Contains(child))
                        low[node] = Math.Min(low[node], index[child]);
                    continue;
                }
                if (work.Count > 0)
                {
                    var parent = work.Peek().Node;
                    low[parent] = Math.Min(low[parent], low[node]);
                }
                if (low[node] != index[node]) continue;
                var component = new List<AssetKey>();
                AssetKey member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                } while (member != node);
                result.Add(component);
            }
        }
        return result;
    }
}
