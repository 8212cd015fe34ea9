using System.Buffers;
using Apache.Arrow.Memory;

namespace Lakehouse.Core.Tables.Iceberg;

/// <summary>
/// An Arrow allocator over plain managed arrays, for the buffers the writer makes itself (spilled and read-back partition
/// batches, their concatenations, GeoParquet bbox bitmaps). Arrow's default allocator takes native memory that is freed by
/// <c>Dispose</c> or else by a finalizer, and adds GC memory pressure per allocation: a profile of 360 shuffled days
/// (`tmlake materialize`, dotnet-trace) had the finalizer thread busy 8.8 CPU-s freeing such buffers (FreeHGlobal 3.8 s,
/// the ArrayPool trims of the induced gen2 collections 1.8 s) beside ~20 CPU-s of real work. Managed arrays have no
/// finalizer; the GC reclaims them with the rest of the heap. ParquetSharp exports them by pinning.
/// </summary>
internal sealed class ManagedArrowMemory : MemoryAllocator
{
    public static ManagedArrowMemory Instance { get; } = new();

    private ManagedArrowMemory()
    {
    }

    protected override IMemoryOwner<byte> AllocateInternal(int length, out int bytesAllocated)
    {
        bytesAllocated = length;
        return new Owner(length == 0 ? [] : new byte[length]);
    }

    private sealed class Owner(byte[] array) : IMemoryOwner<byte>
    {
        public Memory<byte> Memory => array;

        public void Dispose()
        {
        }
    }
}
