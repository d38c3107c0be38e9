//! A table of values addressed by `(index, generation)`, for the executor's tasks and the
//! runtime operations they await: JavaScript holds the two numbers (never a pointer), and a
//! handle whose slot was freed and reused no longer matches, so a late report for it is ignored.

/// Slots reused once freed; a slot's generation changes each time it is freed.
pub struct Slots<T> {
    entries: Vec<(u32, Option<T>)>,
}

impl<T> Default for Slots<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Slots<T> {
    /// An empty table.
    pub const fn new() -> Self {
        Slots {
            entries: Vec::new(),
        }
    }

    /// Stores `make(index, generation)` in a free slot (the value may hold its own handle);
    /// returns the handle.
    pub fn insert(&mut self, make: impl FnOnce(u32, u32) -> T) -> (u32, u32) {
        let index = match self.entries.iter().position(|(_, v)| v.is_none()) {
            Some(i) => i,
            None => {
                self.entries.push((0, None));
                self.entries.len() - 1
            }
        };
        match self.entries.get_mut(index) {
            Some((generation, slot)) => {
                *slot = Some(make(index as u32, *generation));
                (index as u32, *generation)
            }
            None => (u32::MAX, 0),
        }
    }

    /// The value of a live handle.
    pub fn get_mut(&mut self, index: u32, generation: u32) -> Option<&mut T> {
        match self.entries.get_mut(index as usize)? {
            (g, Some(v)) if *g == generation => Some(v),
            _ => None,
        }
    }

    /// Frees a live handle's slot, returning its value; the handle no longer matches.
    pub fn remove(&mut self, index: u32, generation: u32) -> Option<T> {
        match self.entries.get_mut(index as usize)? {
            (g, slot) if *g == generation && slot.is_some() => {
                *g = g.wrapping_add(1);
                slot.take()
            }
            _ => None,
        }
    }
}
