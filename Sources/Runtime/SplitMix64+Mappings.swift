import CoAP

/// Stable mappings for the virtual network's seeded loss and jitter: written out rather than
/// using `Double.random(in:using:)`, so a seed replays the same run whatever the standard
/// library does.
extension SplitMix64 {
    /// Uniform in `0..<1`, from the top 53 bits.
    public mutating func nextUnitInterval() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// Uniform in `0...bound` for `bound >= 0` (0 for negative bounds).
    public mutating func next(atMost bound: Int64) -> Int64 {
        guard bound > 0 else { return 0 }
        return Int64(next() % (UInt64(bound) + 1))
    }
}
