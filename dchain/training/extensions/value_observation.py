"""observe_value and observe_lr: report a value computed from the trainer."""
from dchain.training import extension


def observe_value(observation_key, target_func):
    """Extension reporting ``target_func(trainer)`` as ``observation_key`` every epoch."""
    @extension.make_extension(trigger=(1, 'epoch'), priority=extension.PRIORITY_WRITER)
    def _observe_value(trainer):
        trainer.observation[observation_key] = target_func(trainer)
    return _observe_value


def observe_lr(optimizer_name='main', observation_key='lr'):
    """Extension reporting the learning rate of optimizer ``optimizer_name`` every epoch."""
    return observe_value(
        observation_key, lambda trainer: trainer.updater.get_optimizer(optimizer_name).lr)
