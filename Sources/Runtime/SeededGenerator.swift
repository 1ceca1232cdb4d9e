/// A small deterministic random number generator (the SplitMix64 recurrence): the same seed
/// gives the same sequence on every run and machine, which is what reproducible loss needs.
/// Not for anything secret.
public struct SeededGenerator: RandomNumberGenerator, Hashable, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `0..<1`, from the top 53 bits. Written out rather than using
    /// `Double.random(in:using:)` so the mapping cannot change with the standard library.
    public mutating func nextUnitInterval() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// Uniform in `0...bound` for `bound >= 0` (0 for negative bounds).
    public mutating func next(atMost bound: Int64) -> Int64 {
        guard bound > 0 else { return 0 }
        return Int64(next() % (UInt64(bound) + 1))
    }
}
