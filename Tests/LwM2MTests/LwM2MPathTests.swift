import Testing
@testable import LwM2M

@Suite struct LwM2MPathTests {
    @Test func parsesAndPrints() throws {
        let p = try #require(LwM2MPath("/3/0/1"))
        #expect(p.ids == [3, 0, 1])
        #expect(p.level == .resource)
        #expect(p.description == "/3/0/1")
        #expect(LwM2MPath("3/0/6/1")?.resourceInstanceID == 1)
        #expect(LwM2MPath("/")?.isRoot == true)
        #expect(LwM2MPath("/19/")?.description == "/19")
        #expect(LwM2MPath(segments: ["19", "0", "0"]) == LwM2MPath(19, 0, 0))
        #expect(LwM2MPath(segments: []) == .root)
    }

    @Test(arguments: ["/3/0/1/2/3", "/a", "/3//1", "/65535", "/70000", "/-1", "/3/ 0", "//", "/+3", "/٣"])
    func rejectsBadPaths(_ s: String) {
        #expect(LwM2MPath(s) == nil)
    }

    @Test func ordersPrefixFirst() throws {
        let paths = ["/4", "/3/0/1", "/3", "/3/0", "/3/0/6/0", "/3/1", "/10"].compactMap(LwM2MPath.init)
        #expect(paths.sorted().map(\.description) == ["/3", "/3/0", "/3/0/1", "/3/0/6/0", "/3/1", "/4", "/10"])
        #expect(LwM2MPath(3, 0).isPrefix(of: LwM2MPath(3, 0, 1)))
        #expect(!LwM2MPath(3, 0, 1).isPrefix(of: LwM2MPath(3, 0)))
        #expect(LwM2MPath(3, 0, 1).parent == LwM2MPath(3, 0))
        #expect(LwM2MPath(3, 0, 6, 1).appending(2) == nil)
    }
}
