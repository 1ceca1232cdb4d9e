import LwM2M

enum LwM2MPathFixture {
    /// /19/0/0, the uplink resource the CT platforms observe.
    static let data = LwM2MPath(19, 0, 0)
}
