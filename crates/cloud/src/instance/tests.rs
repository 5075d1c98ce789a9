//! Rule-engine tests of the instance family, through the dispatch path with an in-memory store.
