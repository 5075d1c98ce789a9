//! The steps the provider (Alibaba Cloud and the line's carrier) takes on an application, which
//! the real cloud performs out of band: `POST /_emulator/physical-connections/{id}/{step}`.
//!
//! | step              | from                   | to                                     |
//! |-------------------|------------------------|----------------------------------------|
//! | `approve`         | Initial                | Approved                               |
//! | `reject`          | Initial                | Rejected                               |
//! | `allocate`        | Approved               | Allocating, Allocated after the delay  |
//! | `fail-allocation` | Approved, Allocating   | Allocation Failed                      |
//! | `confirm`         | Allocated              | Confirmed (LOA Completing -> Complete) |
//! | `approve-loa`     | LOA Applying           | LOA Available (with its URL)           |
//! | `reject-loa`      | LOA Applying           | LOA Rejected                           |

use acs_store::StoreError;
use serde_json::{json, Value};

use super::*;
use crate::billing::ControlError;
use crate::context::Cloud;

pub const STEPS: &[&str] =
    &["approve", "reject", "allocate", "fail-allocation", "confirm", "approve-loa", "reject-loa"];

enum Abort {
    Control(ControlError),
    Store(StoreError),
}

impl From<StoreError> for Abort {
    fn from(e: StoreError) -> Self {
        Abort::Store(e)
    }
}

/// Runs one provider step on the connection `pc_id` of `account` (any region); answers its new
/// state, 404 for an unknown connection or step, 409 when its state does not allow the step.
pub fn provider_step(cloud: &Cloud, account: &str, pc_id: &str, step: &str) -> Result<Value, ControlError> {
    if !STEPS.contains(&step) {
        return Err((404, format!("no such step {step}; the steps are {}", STEPS.join(", "))));
    }
    let delay = cloud.config.transition_delay_ms;
    cloud
        .store
        .write(|tx| {
            let now = cloud.clock.now_ms();
            let Some((scope, mut pc)) = tx.find::<PhysicalConnection>(account, pc_id) else {
                return Err(Abort::Control((404, format!("no physical connection {pc_id} in account {account}"))));
            };
            pc.settle(now, delay);
            apply_step(&mut pc, step, now).map_err(Abort::Control)?;
            let answer = json!({
                "physical_connection_id": pc.id,
                "region_id": pc.region,
                "status": pc.status_at(now, delay),
                "loa_status": pc.loa_status(),
            });
            tx.put(&scope, pc);
            Ok(answer)
        })
        .map_err(|e| match e {
            Abort::Control(c) => c,
            Abort::Store(e) => (500, e.to_string()),
        })
}

fn conflict(pc: &PhysicalConnection, step: &str, needs: &str) -> ControlError {
    (409, format!("physical connection {} is {} (LOA: {}); {step} needs {needs}", pc.id, pc.status, loa_shown(pc)))
}

fn loa_shown(pc: &PhysicalConnection) -> &str {
    match pc.loa_status() {
        "" => "none",
        s => s,
    }
}

fn apply_step(pc: &mut PhysicalConnection, step: &str, now: i64) -> Result<(), ControlError> {
    let status = pc.status.clone();
    match step {
        "approve" if status == INITIAL => pc.set_status(APPROVED, now),
        "approve" => return Err(conflict(pc, step, "Initial")),
        "reject" if status == INITIAL => {
            pc.set_status(REJECTED, now);
            pc.drop_loa();
        }
        "reject" => return Err(conflict(pc, step, "Initial")),
        "allocate" if status == APPROVED => {
            pc.set_status(ALLOCATING, now);
            pc.port_number = port_number(&pc.id);
        }
        "allocate" => return Err(conflict(pc, step, "Approved")),
        "fail-allocation" if status == APPROVED || status == ALLOCATING => {
            pc.set_status(ALLOCATION_FAILED, now);
            pc.port_number.clear();
            pc.drop_loa();
        }
        "fail-allocation" => return Err(conflict(pc, step, "Approved or Allocating")),
        "confirm" if status == ALLOCATED => {
            pc.set_status(CONFIRMED, now);
            if let Some(loa) = pc.loa.as_mut().filter(|l| l.status == LOA_COMPLETING) {
                loa.status = LOA_COMPLETE.to_string();
            }
        }
        "confirm" => return Err(conflict(pc, step, "Allocated")),
        "approve-loa" | "reject-loa" => {
            let approve = step == "approve-loa";
            let url = loa_url(pc);
            match pc.loa.as_mut().filter(|l| l.status == LOA_APPLYING) {
                Some(loa) if approve => {
                    loa.status = LOA_AVAILABLE.to_string();
                    loa.url = url;
                }
                Some(loa) => loa.status = LOA_REJECTED.to_string(),
                None => return Err(conflict(pc, step, "an LOA in Applying")),
            }
        }
        _ => return Err((404, format!("no such step {step}"))),
    }
    Ok(())
}

/// A device port such as `1/1/12`, stable for the connection.
fn port_number(id: &str) -> String {
    let h = crate::ids::stable_hash(id);
    format!("1/{}/{}", h % 4 + 1, (h / 4) % 48 + 1)
}

fn loa_url(pc: &PhysicalConnection) -> String {
    format!("http://pconn-loa.oss-{}.aliyuncs.com/{}_{}.pdf", pc.region, pc.id, pc.access_point_id)
}
