/// The datastore members as the changes of a plan leave them, one change at a time.
///
/// Gives exactly what `DatastoreModel.joined`, `removed`, `voters(in:)` and
/// `removalProblem(of:from:live:)` give on the plain list, but cheaply: the list functions
/// copy and rebalance every member on every step, so a plan that joins or removes many
/// control-plane nodes cost the square of their number.
///
/// Once the roles are settled (every count at its target, as after any rebalance) and
/// there are enough members for 3 voters, 3 standbys and a spare, a step changes at most
/// the roles of the first standby and the first spare: a joiner stays a spare; a
/// leaving spare changes nothing; a leaving standby is replaced by the first spare; a
/// leaving voter by the first standby, itself replaced by the first spare. Only the 6
/// voters and standbys are then kept in order, and a spare is found from a cursor that
/// never has to move back. Anything else (unsettled roles, a small datastore) takes the
/// full `rebalance`, which settles the roles.
struct DatastoreReplay {
  /// Members in list order; nil where one has left (compacted on a full rebalance).
  private var slots: [DatastoreMember?]
  private var slotByAddress: [NodeAddress: Int]
  private var counts: DatastoreModel.RoleCounts
  /// The slots of the voters and standbys, in list order; kept only while settled.
  private var nonSpareSlots: [Int]
  /// No spare sits in a slot before this one; kept only while settled.
  private var spareCursor = 0
  /// The members as a plain list, when two share an address: then every step is
  /// replayed with the list functions, as a slot per address cannot hold them.
  private var plain: [DatastoreMember]?
  /// The voters' addresses, in member order.
  private(set) var voters: [NodeAddress] = []

  /// Below this many members a step may change targets, so it takes the full rebalance.
  private static let fastPathMinimum = 7

  init(_ members: [DatastoreMember]) {
    slots = []
    slotByAddress = [:]
    counts = (0, 0, 0)
    nonSpareSlots = []
    rebuild(from: members)
    if slotByAddress.count != members.count {
      plain = members
      slots = []
      slotByAddress = [:]
    }
  }

  /// The members, in list order.
  var members: [DatastoreMember] { plain ?? slots.compactMap { $0 } }

  var count: Int { plain?.count ?? slotByAddress.count }

  /// The role of the (first) member with this address; nil when it is none.
  func role(of address: NodeAddress) -> DatastoreRole? {
    if let plain { return plain.first { $0.address == address }?.role }
    return slotByAddress[address].flatMap { slots[$0]?.role }
  }

  /// True when the counts are the targets for this many members: `rebalance` would
  /// change nothing.
  private var isSettled: Bool {
    let target = DatastoreModel.targetRoles(controlPlaneCount: count)
    return counts == target
  }

  /// `DatastoreModel.joined(_:address:)`.
  mutating func join(_ address: NodeAddress) {
    if let plain {
      replay(DatastoreModel.joined(plain, address: address))
      return
    }
    let settled = isSettled
    if slotByAddress[address] != nil {
      if !settled { rebuild(from: DatastoreModel.rebalance(members)) }
      return
    }
    slotByAddress[address] = slots.count
    slots.append(DatastoreMember(address: address, role: .spare))
    counts.spares += 1
    // The targets grew by one spare: nothing else moves.
    if !settled || count < Self.fastPathMinimum { rebuild(from: DatastoreModel.rebalance(members)) }
  }

  /// `DatastoreModel.removed(_:address:)`.
  mutating func remove(_ address: NodeAddress) {
    if let plain {
      replay(DatastoreModel.removed(plain, address: address))
      return
    }
    let settled = isSettled
    guard let slot = slotByAddress[address], let member = slots[slot] else {
      if !settled { rebuild(from: DatastoreModel.rebalance(members)) }
      return
    }
    slots[slot] = nil
    slotByAddress[address] = nil
    guard settled, count >= Self.fastPathMinimum else {
      rebuild(from: DatastoreModel.rebalance(members))
      return
    }
    // Settled before, one spare fewer after: the voter and standby counts stay.
    nonSpareSlots.removeAll { $0 == slot }
    counts.spares -= 1
    switch member.role {
    case .spare:
      break
    case .standby:
      promoteFirstSpare()
    case .voter:
      if let standby = nonSpareSlots.first(where: { slots[$0]?.role == .standby }) {
        slots[standby]?.role = .voter
      }
      promoteFirstSpare()
    }
    voters = nonSpareSlots.compactMap { slots[$0] }.filter { $0.role == .voter }.map(\.address)
  }

  /// `DatastoreModel.removalProblem(of:from:live:)`.
  func removalProblem(
    of address: NodeAddress,
    live: Set<NodeAddress>
  ) -> DatastoreModel.RemovalProblem? {
    if let plain { return DatastoreModel.removalProblem(of: address, from: plain, live: live) }
    let role = role(of: address)
    return DatastoreModel.removalProblem(
      of: address,
      role: role,
      hasOthers: count > 1,
      voters: voters,
      votersAfter: { votersAfterRemoving(address) },
      live: live
    )
  }

  /// The voters `remove(address)` would leave, without removing it.
  private func votersAfterRemoving(_ address: NodeAddress) -> [NodeAddress] {
    guard let slot = slotByAddress[address], let member = slots[slot], isSettled,
      count - 1 >= Self.fastPathMinimum
    else {
      return DatastoreModel.voters(in: DatastoreModel.removed(members, address: address))
    }
    guard member.role == .voter else { return voters }
    let remaining = nonSpareSlots.filter { $0 != slot }
    let promoted = remaining.first { slots[$0]?.role == .standby }
    return remaining.compactMap { index in
      index == promoted || slots[index]?.role == .voter ? slots[index]?.address : nil
    }
  }

  /// The first spare in list order becomes a standby.
  private mutating func promoteFirstSpare() {
    while spareCursor < slots.count, slots[spareCursor]?.role != .spare { spareCursor += 1 }
    guard spareCursor < slots.count else { return }
    slots[spareCursor]?.role = .standby
    let position = nonSpareSlots.firstIndex { $0 > spareCursor } ?? nonSpareSlots.endIndex
    nonSpareSlots.insert(spareCursor, at: position)
  }

  private mutating func replay(_ members: [DatastoreMember]) {
    plain = members
    voters = DatastoreModel.voters(in: members)
  }

  private mutating func rebuild(from members: [DatastoreMember]) {
    slots = members.map(Optional.some)
    slotByAddress = Dictionary(minimumCapacity: members.count)
    nonSpareSlots = []
    for (index, member) in members.enumerated() {
      slotByAddress[member.address] = index
      if member.role != .spare { nonSpareSlots.append(index) }
    }
    counts = DatastoreModel.roleCounts(members)
    spareCursor = 0
    voters = DatastoreModel.voters(in: members)
  }
}
