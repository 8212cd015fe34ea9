using Lakehouse.Core.Config;
using Lakehouse.Core.Instance;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Tables;

namespace Lakehouse.Core.Execution;

/// <summary>What an asset computation may use: options, tables, object stores and the instance.</summary>
public sealed record LakehouseResources(LakehouseOptions Options, ITableCatalog Tables, IObjectStoreProvider Objects, LakehouseInstance Instance);
