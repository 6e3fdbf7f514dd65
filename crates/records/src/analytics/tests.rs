//! Tests of `analytics`.

use super::*;
