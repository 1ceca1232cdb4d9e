/// Finding an answer's lines in raw AT bytes without building strings.
enum ByteSearch {
    /// The index just past the first occurrence of `needle` in `haystack`, or nil.
    static func end(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        return haystack.withUnsafeBufferPointer { h in
            for start in 0...(h.count - needle.count) where h[start] == needle[0] {
                var k = 1
                while k < needle.count, h[start + k] == needle[k] { k += 1 }
                if k == needle.count { return start + needle.count }
            }
            return nil
        }
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool { end(of: needle, in: haystack) != nil }
}
